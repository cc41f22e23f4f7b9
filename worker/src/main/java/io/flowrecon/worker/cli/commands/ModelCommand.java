package io.flowrecon.worker.cli.commands;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.flowrecon.shared.image.Image;
import io.flowrecon.shared.image.Png;
import io.flowrecon.shared.image.SampleGrid;
import io.flowrecon.shared.job.ImageShape;
import io.flowrecon.shared.model.ModelBundle;
import io.flowrecon.shared.model.ModelCard;
import io.flowrecon.shared.model.ModelKinds;
import io.flowrecon.adjoint.onnx.OnnxFiles;
import io.flowrecon.shared.prior.DcganArchitecture;
import io.flowrecon.shared.prior.DcganWeights;
import io.flowrecon.shared.prior.GlowArchitecture;
import io.flowrecon.shared.prior.GlowWeights;
import io.flowrecon.shared.prior.PriorBundles;
import io.flowrecon.shared.prior.PriorCardInfo;
import io.flowrecon.shared.cli.CommandLines;
import io.flowrecon.shared.cli.HelpOption;
import io.flowrecon.worker.cli.FlowreconCli;
import io.flowrecon.worker.cli.registry.RegistryCommands;
import io.flowrecon.worker.runtime.RuntimeConfig;
import io.flowrecon.worker.runtime.SessionFactory;
import java.io.PrintWriter;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code flowrecon model init-glow | init-dcgan}: writes a bundle of randomly initialised (untrained) prior
 * weights, with a PNG grid of samples from its generator ({@code samples.png}, listed in the card).
 * {@code model import | list | delete} talk to a running API's registry ({@link RegistryCommands}).
 */
@Command(name = "model", synopsisSubcommandLabel = "COMMAND",
        description = "Write a prior bundle of random-init (untrained) weights: generator.onnx, encoder.onnx (glow), "
                + "model.json and samples.png; or import, list and delete the models of a running API.",
        subcommands = {ModelCommand.InitGlow.class, ModelCommand.InitDcgan.class, RegistryCommands.Import.class,
                RegistryCommands.ListModels.class, RegistryCommands.Delete.class})
public final class ModelCommand implements Callable<Integer> {

    /** The samples file every bundle written here carries. */
    public static final String SAMPLES = "samples.png";

    @ParentCommand
    FlowreconCli cli;
    @Spec
    CommandSpec spec;
    @Mixin
    HelpOption help;

    @Override
    public Integer call() {
        throw CommandLines.usageError(spec, "a command is required: " + String.join(", ", spec.subcommands().keySet()));
    }

    /** {@code model init-glow}: a random-init Glow (Kingma &amp; Dhariwal 2018). */
    @Command(name = "init-glow", sortOptions = false, description = "Write a random-init Glow bundle.")
    static final class InitGlow implements Callable<Integer> {
        @ParentCommand
        ModelCommand model;
        @Spec
        CommandSpec spec;
        @Mixin
        HelpOption help;
        @Option(names = "--channels", required = true, paramLabel = "C", description = "Image channels.")
        int channels;
        @Option(names = "--size", required = true, paramLabel = "S", description = "Image height and width.")
        int size;
        @Option(names = "--levels", required = true, paramLabel = "L", description = "Multi-scale levels.")
        int levels;
        @Option(names = "--steps", required = true, paramLabel = "K", description = "Flow steps per level.")
        int steps;
        @Option(names = "--hidden", required = true, paramLabel = "H", description = "Hidden channels of the couplings.")
        int hidden;
        @Option(names = "--output-gain", paramLabel = "G", defaultValue = "" + GlowWeights.COUPLING_OUTPUT_GAIN,
                description = "Gain of the last coupling conv and the split priors (default ${DEFAULT-VALUE}); 0 is "
                        + "Glow's training init, which keeps deep flows (K = 32) finite.")
        double outputGain;
        @Mixin
        BundleOptions bundle;

        @Override
        public Integer call() throws Exception {
            if (!(outputGain >= 0) || !Double.isFinite(outputGain)) {
                throw CommandLines.usageError(spec, "--output-gain must be a finite number >= 0, got " + outputGain);
            }
            GlowArchitecture arch = new GlowArchitecture(bundle.positive("--channels", channels),
                    bundle.positive("--size", size), bundle.positive("--levels", levels),
                    bundle.positive("--steps", steps), bundle.positive("--hidden", hidden));
            Path dir = bundle.outDir();
            ModelBundle written = PriorBundles.writeGlow(dir, GlowWeights.random(arch, bundle.seed, outputGain),
                    PriorCardInfo.randomInit(bundle.id(dir), bundle.seed, Instant.now()));
            return model.finish(written, bundle, ModelKinds.sampleTemperature(ModelKinds.GLOW));
        }
    }

    /** {@code model init-dcgan}: a random-init DCGAN generator (Radford et al. 2016). */
    @Command(name = "init-dcgan", sortOptions = false, description = "Write a random-init DCGAN bundle.")
    static final class InitDcgan implements Callable<Integer> {
        @ParentCommand
        ModelCommand model;
        @Mixin
        HelpOption help;
        @Option(names = "--channels", required = true, paramLabel = "C", description = "Image channels.")
        int channels;
        @Option(names = "--size", required = true, paramLabel = "S", description = "Image height and width.")
        int size;
        @Option(names = "--latent", required = true, paramLabel = "D", description = "Latent size.")
        int latent;
        @Option(names = "--features", paramLabel = "F", description = "Width of the last hidden layer (default "
                + DcganArchitecture.DEFAULT_FEATURES + ").")
        Integer features;
        @Mixin
        BundleOptions bundle;

        @Override
        public Integer call() throws Exception {
            DcganArchitecture arch = new DcganArchitecture(bundle.positive("--channels", channels),
                    bundle.positive("--size", size), bundle.positive("--latent", latent),
                    features == null ? DcganArchitecture.DEFAULT_FEATURES : bundle.positive("--features", features));
            Path dir = bundle.outDir();
            ModelBundle written = PriorBundles.writeDcgan(dir, DcganWeights.random(arch, bundle.seed),
                    PriorCardInfo.randomInit(bundle.id(dir), bundle.seed, Instant.now()));
            return model.finish(written, bundle, ModelKinds.sampleTemperature(ModelKinds.DCGAN));
        }
    }

    /** The options both kinds share: where the bundle goes, its id, seed and sample grid. */
    static final class BundleOptions {
        @Spec(Spec.Target.MIXEE)
        CommandSpec spec;
        @Option(names = "--seed", required = true, paramLabel = "N", description = "Seed of the weights and samples.")
        long seed;
        @Option(names = "--out", required = true, paramLabel = "DIR",
                description = "A new folder (a bundle is never overwritten).")
        Path out;
        @Option(names = "--id", paramLabel = "ID", description = "The model id (default: DIR's name).")
        String id;
        @Option(names = "--samples", paramLabel = "N", defaultValue = "16",
                description = "Generator samples in samples.png, 0..1024; 0 for none (default ${DEFAULT-VALUE}).")
        int samples;

        int positive(String option, int value) {
            if (value < 1) {
                throw CommandLines.usageError(spec, option + " must be a positive integer, got " + value);
            }
            return value;
        }

        /** --out: a new or empty folder, or one without a bundle card yet (a bundle is never overwritten). */
        Path outDir() {
            if (samples < 0 || samples > 1024) {
                throw CommandLines.usageError(spec, "--samples must be between 0 and 1024, got " + samples);
            }
            if (Files.exists(out) && !Files.isDirectory(out)) {
                throw CommandLines.usageError(spec, "--out " + out + " exists and is not a folder");
            }
            if (ModelBundle.isBundle(out)) {
                throw CommandLines.usageError(spec, "--out " + out + " already holds a bundle ("
                        + ModelCard.FILE_NAME + "); choose a new folder");
            }
            return out;
        }

        /** --id, or the out folder's name. */
        String id(Path dir) {
            String chosen = id != null ? id : dir.toAbsolutePath().normalize().getFileName().toString();
            if (!chosen.matches("[a-z0-9][a-z0-9._-]*")) {
                throw CommandLines.usageError(spec, "--id must be lower-case letters, digits, '.', '_' or '-' "
                        + "(starting with a letter or digit), got '" + chosen + "'");
            }
            return chosen;
        }
    }

    /** Adds the sample grid (re-hashing the card so that it lists it) and reports. */
    private int finish(ModelBundle bundle, BundleOptions options, double temperature) throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        if (options.samples > 0) {
            Image grid;
            try {
                grid = sampleGrid(bundle, options.samples, options.seed, temperature, cli.config().runtime());
            } catch (OrtException | IllegalStateException e) {
                err.println(CommandLines.qualifiedName(spec) + ": the bundle in " + bundle.dir() + " is written and valid, but "
                        + SAMPLES + " could not be made (ONNX Runtime: " + e.getMessage() + ")");
                return 1;
            }
            Files.write(bundle.file(SAMPLES), Png.encode(grid));
            List<String> files = new ArrayList<>(bundle.card().files().keySet());
            files.add(SAMPLES);
            bundle = ModelBundle.write(bundle.dir(), bundle.card(), files);
        }
        ModelCard card = bundle.card();
        spec.commandLine().getOut().println("wrote " + card.kind() + " bundle '" + card.id() + "' to " + bundle.dir()
                + " (image " + card.imageShape() + ", latent " + card.latentSize() + ", files " + card.files().keySet()
                + ", bundle sha256 " + bundle.bundleHash() + ")");
        return 0;
    }

    /** Runs the generator on {@code count} latents z ~ N(0, temperature^2) and tiles the images. */
    private static Image sampleGrid(ModelBundle bundle, int count, long seed, double temperature,
                                    RuntimeConfig runtime) throws OrtException {
        ImageShape shape = bundle.card().imageShape();
        int latent = bundle.card().latentSize();
        Random random = new Random(seed ^ 0x5eed5L);
        float[] z = new float[count * latent];
        for (int i = 0; i < z.length; i++) {
            z[i] = (float) (temperature * random.nextGaussian());
        }
        SessionFactory factory = SessionFactory.create(runtime);
        byte[] generator = OnnxFiles.read(bundle.file(ModelBundle.GENERATOR)).toByteArray();
        float[] images;
        try (OrtSession session = factory.open(generator);
             OnnxTensor input = OnnxTensor.createTensor(factory.environment(), FloatBuffer.wrap(z),
                     new long[] {count, latent});
             OrtSession.Result result = session.run(Map.of(session.getInputNames().iterator().next(), input))) {
            FloatBuffer buffer = ((OnnxTensor) result.get(0)).getFloatBuffer();
            images = new float[buffer.remaining()];
            buffer.get(images);
        }
        return SampleGrid.tile(images, count, shape);
    }
}
