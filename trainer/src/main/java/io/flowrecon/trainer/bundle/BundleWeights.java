package io.flowrecon.trainer.bundle;

import io.flowrecon.shared.model.ModelBundle;
import io.flowrecon.shared.model.ModelCard;
import io.flowrecon.shared.prior.Conv2d;
import io.flowrecon.shared.prior.DcganArchitecture;
import io.flowrecon.shared.prior.DcganWeights;
import io.flowrecon.shared.prior.DcganWeights.BatchNorm;
import io.flowrecon.shared.prior.DcganWeights.ConvTranspose2d;
import io.flowrecon.shared.prior.DcganWeights.Dense;
import io.flowrecon.shared.prior.DcganWeights.UpBlock;
import io.flowrecon.shared.prior.GlowArchitecture;
import io.flowrecon.shared.prior.GlowArchitecture.LevelShape;
import io.flowrecon.shared.prior.GlowWeights;
import io.flowrecon.shared.prior.GlowWeights.ActNorm;
import io.flowrecon.shared.prior.GlowWeights.Coupling;
import io.flowrecon.shared.prior.GlowWeights.FlowStep;
import io.flowrecon.shared.prior.GlowWeights.Level;
import io.flowrecon.shared.prior.GlowWeights.SplitPrior;
import io.flowrecon.shared.prior.GlowWeights.TopPrior;
import io.flowrecon.shared.prior.InvConv1x1;
import io.flowrecon.trainer.checkpoint.TensorArchive;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The trained weights inside a model bundle ({@value #FILE}, a {@link TensorArchive} listed with its sha256 on the
 * card), so that {@code verify} can rebuild the Deeplearning4j model and compare it with the ONNX graphs.
 *
 * <p>Names and layouts are those of the shared weight records, not of SameDiff: Glow {@code l<level>.k<step>.}
 * {@code actnorm.bias|logScale}, {@code invconv.permutation|lower|upper|logAbsS|sign},
 * {@code coupling.in|hidden|out.w} [out, in, k, k] and {@code .b}, then {@code l<level>.prior.w|b} or
 * {@code l<level>.top.mean|logStd}; DCGAN {@code g.project.w} [latent, out] and {@code .b},
 * {@code g.block<i>.w} [in, out, 4, 4], {@code g.output.w|b}, and each batch norm's
 * {@code .bn.scale|bias|mean|variance}. The architecture itself comes from the card.
 */
public final class BundleWeights {
    public static final String FILE = "weights.bin";

    private BundleWeights() {
    }

    /**
     * Writes {@value #FILE} into the bundle and rewrites its card with the file's sha256 beside the others (the
     * card last, as {@link ModelBundle#write} does, so a card never lists a file that is not complete).
     */
    public static ModelBundle attach(ModelBundle bundle, Map<String, INDArray> arrays) throws IOException {
        Path tmp = bundle.dir().resolve(FILE + ".tmp");
        TensorArchive.write(tmp, arrays);
        Files.move(tmp, bundle.file(FILE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        TreeSet<String> files = new TreeSet<>(bundle.card().files().keySet());
        files.add(FILE);
        return ModelBundle.write(bundle.dir(), bundle.card(), files);
    }

    /** Whether the card lists {@value #FILE} (its hash is checked by {@link ModelBundle#read}). */
    public static boolean present(ModelBundle bundle) {
        return bundle.card().files().containsKey(FILE);
    }

    public static Map<String, INDArray> read(ModelBundle bundle) throws IOException {
        return TensorArchive.read(bundle.file(FILE));
    }

    // ------------------------------------------------------------------ Glow

    public static Map<String, INDArray> ofGlow(GlowWeights w) {
        Map<String, INDArray> out = new LinkedHashMap<>();
        GlowArchitecture arch = w.architecture();
        for (LevelShape shape : arch.levelShapes()) {
            Level level = w.levels().get(shape.level());
            String prefix = "l" + shape.level();
            for (int k = 0; k < arch.stepsPerLevel(); k++) {
                String p = prefix + ".k" + k;
                FlowStep step = level.steps().get(k);
                put(out, p + ".actnorm.bias", step.actNorm().bias());
                put(out, p + ".actnorm.logScale", step.actNorm().logScale());
                InvConv1x1 inv = step.invConv();
                int c = inv.channels();
                float[] perm = new float[c];
                for (int i = 0; i < c; i++) {
                    perm[i] = inv.permutation()[i];
                }
                put(out, p + ".invconv.permutation", perm);
                put(out, p + ".invconv.lower", inv.lower(), c, c);
                put(out, p + ".invconv.upper", inv.upper(), c, c);
                put(out, p + ".invconv.logAbsS", inv.logAbsS());
                put(out, p + ".invconv.sign", inv.signS());
                putConv(out, p + ".coupling.in", step.coupling().input());
                putConv(out, p + ".coupling.hidden", step.coupling().hidden());
                putConv(out, p + ".coupling.out", step.coupling().output());
            }
            if (level.prior() instanceof SplitPrior split) {
                putConv(out, prefix + ".prior", split.conv());
            } else {
                TopPrior top = (TopPrior) level.prior();
                put(out, prefix + ".top.mean", top.mean());
                put(out, prefix + ".top.logStd", top.logStd());
            }
        }
        return out;
    }

    /** @throws IllegalArgumentException naming the array that is missing or has the wrong size */
    public static GlowWeights glow(GlowArchitecture arch, Map<String, INDArray> a) {
        List<Level> levels = new ArrayList<>();
        for (LevelShape shape : arch.levelShapes()) {
            String prefix = "l" + shape.level();
            List<FlowStep> steps = new ArrayList<>();
            for (int k = 0; k < arch.stepsPerLevel(); k++) {
                String p = prefix + ".k" + k;
                float[] permF = get(a, p + ".invconv.permutation");
                int[] perm = new int[permF.length];
                for (int i = 0; i < perm.length; i++) {
                    perm[i] = Math.round(permF[i]);
                }
                InvConv1x1 inv = new InvConv1x1(shape.channels(), perm, get(a, p + ".invconv.lower"),
                        get(a, p + ".invconv.upper"), get(a, p + ".invconv.logAbsS"), get(a, p + ".invconv.sign"));
                steps.add(new FlowStep(new ActNorm(get(a, p + ".actnorm.bias"), get(a, p + ".actnorm.logScale")), inv,
                        new Coupling(conv(a, p + ".coupling.in"), conv(a, p + ".coupling.hidden"),
                                conv(a, p + ".coupling.out"))));
            }
            GlowWeights.LatentPrior prior = shape.level() == arch.levels() - 1
                    ? new TopPrior(get(a, prefix + ".top.mean"), get(a, prefix + ".top.logStd"))
                    : new SplitPrior(conv(a, prefix + ".prior"));
            levels.add(new Level(steps, prior));
        }
        return new GlowWeights(arch, levels);
    }

    /** The architecture a Glow card describes ({@code GlowArchitecture.describe()}). */
    public static GlowArchitecture glowArchitecture(ModelCard card) {
        Map<String, Object> m = card.architecture();
        return new GlowArchitecture(integer(m, "channels"), integer(m, "size"), integer(m, "levels"),
                integer(m, "stepsPerLevel"), integer(m, "hidden"));
    }

    // ------------------------------------------------------------------ DCGAN

    public static Map<String, INDArray> ofDcgan(DcganWeights w) {
        Map<String, INDArray> out = new LinkedHashMap<>();
        Dense p = w.projection();
        put(out, "g.project.w", p.weight(), p.inFeatures(), p.outFeatures());
        put(out, "g.project.b", p.bias());
        putNorm(out, "g.project.bn", w.projectionNorm());
        for (int i = 0; i < w.blocks().size(); i++) {
            ConvTranspose2d c = w.blocks().get(i).conv();
            put(out, "g.block" + i + ".w", c.weight(), c.inChannels(), c.outChannels(), ConvTranspose2d.KERNEL,
                    ConvTranspose2d.KERNEL);
            putNorm(out, "g.block" + i + ".bn", w.blocks().get(i).norm());
        }
        ConvTranspose2d o = w.output();
        put(out, "g.output.w", o.weight(), o.inChannels(), o.outChannels(), ConvTranspose2d.KERNEL,
                ConvTranspose2d.KERNEL);
        put(out, "g.output.b", o.bias());
        return out;
    }

    public static DcganWeights dcgan(DcganArchitecture arch, Map<String, INDArray> a) {
        List<Integer> f = arch.featureChannels();
        int s0 = arch.startSize();
        Dense projection = new Dense(arch.latent(), f.get(0) * s0 * s0, get(a, "g.project.w"), get(a, "g.project.b"));
        List<UpBlock> blocks = new ArrayList<>();
        for (int i = 0; i + 1 < f.size(); i++) {
            blocks.add(new UpBlock(new ConvTranspose2d(f.get(i), f.get(i + 1), get(a, "g.block" + i + ".w"), null),
                    norm(a, "g.block" + i + ".bn")));
        }
        ConvTranspose2d output = new ConvTranspose2d(f.get(f.size() - 1), arch.channels(), get(a, "g.output.w"),
                get(a, "g.output.b"));
        return new DcganWeights(arch, projection, norm(a, "g.project.bn"), blocks, output);
    }

    /** The architecture a DCGAN card describes ({@code DcganArchitecture.describe()}). */
    public static DcganArchitecture dcganArchitecture(ModelCard card) {
        Map<String, Object> m = card.architecture();
        return new DcganArchitecture(integer(m, "channels"), integer(m, "size"), integer(m, "latent"),
                integer(m, "features"));
    }

    // ------------------------------------------------------------------ helpers

    private static void putNorm(Map<String, INDArray> out, String name, BatchNorm bn) {
        put(out, name + ".scale", bn.scale());
        put(out, name + ".bias", bn.bias());
        put(out, name + ".mean", bn.mean());
        put(out, name + ".variance", bn.variance());
    }

    private static BatchNorm norm(Map<String, INDArray> a, String name) {
        return new BatchNorm(get(a, name + ".scale"), get(a, name + ".bias"), get(a, name + ".mean"),
                get(a, name + ".variance"));
    }

    private static void putConv(Map<String, INDArray> out, String name, Conv2d c) {
        put(out, name + ".w", c.weight(), c.outChannels(), c.inChannels(), c.kernel(), c.kernel());
        put(out, name + ".b", c.bias());
    }

    private static Conv2d conv(Map<String, INDArray> a, String name) {
        INDArray w = a.get(name + ".w");
        if (w == null || w.rank() != 4) {
            throw new IllegalArgumentException(FILE + ": " + name + ".w must be a [out, in, k, k] array");
        }
        return new Conv2d((int) w.size(0), (int) w.size(1), (int) w.size(2), get(a, name + ".w"), get(a, name + ".b"));
    }

    private static void put(Map<String, INDArray> out, String name, float[] values, long... shape) {
        long[] s = shape.length == 0 ? new long[] {values.length} : shape;
        out.put(name, Nd4j.create(values.clone(), s, 'c'));
    }

    private static float[] get(Map<String, INDArray> a, String name) {
        INDArray v = a.get(name);
        if (v == null) {
            throw new IllegalArgumentException(FILE + ": array " + name + " is missing");
        }
        return v.castTo(DataType.FLOAT).dup('c').data().asFloat();
    }

    private static int integer(Map<String, Object> m, String key) {
        Object v = m.get(key);
        if (!(v instanceof Number n)) {
            throw new IllegalArgumentException("model card: architecture." + key + " must be an integer, got " + v);
        }
        return n.intValue();
    }
}
