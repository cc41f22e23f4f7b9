package io.flowrecon.trainer.bundle;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowrecon.shared.job.ImageShape;
import io.flowrecon.shared.model.ModelBundle;
import io.flowrecon.shared.model.ModelBundleException;
import io.flowrecon.shared.model.ModelCard;
import io.flowrecon.shared.model.ModelKinds;
import io.flowrecon.shared.prior.DcganGraphs;
import io.flowrecon.shared.prior.GlowGraphs;
import io.flowrecon.trainer.data.DataSources;
import io.flowrecon.trainer.data.ImageDataset;
import io.flowrecon.trainer.dcgan.DcganModel;
import io.flowrecon.trainer.glow.GlowGenerator;
import io.flowrecon.trainer.glow.GlowModel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The export checks on one prior bundle: the files match the card's sha256; {@code generator.onnx} and
 * {@code encoder.onnx}, run by ONNX Runtime, agree with the Deeplearning4j model rebuilt from
 * {@link BundleWeights#FILE} (max abs difference); the ONNX encoder inverts the ONNX generator, both ways; and
 * Debian's ONNX checker ({@code python3 -c 'import onnx'}) accepts the files when it is installed.
 *
 * <p>Parity and inversion are measured on test images of the card's dataset (or {@code --data}) and on random
 * latents z = temperature * N(0, I). Parity is held to the tolerance as an absolute bound. Inversion is held to
 * it relative to the size of what is inverted, {@code tolerance * max(1, max |z|)}: a float32 round trip through
 * every flow step loses digits in proportion to the values' magnitude (fmnist-glow at temperature 0.7, max |z|
 * 3.2, comes back within 1.1e-4, i.e. 3.4e-5 of the scale). A missing measurement is null in the report and
 * fails it, except the checker, which is "unavailable" without python3-onnx and then does not count.
 */
public final class BundleVerifier {
    /** Largest accepted max abs difference between the ONNX export and Deeplearning4j. */
    public static final double DEFAULT_TOLERANCE = 1e-4;
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * @param data        dataset spec {@code kind:folder}, or null for the card's dataset in its Debian folder
     * @param images      test images to compare on
     * @param temperature scale of the random latents (Glow samples at 0.7, a DCGAN at 1)
     * @param seed        seed of the random latents
     * @param tolerance   bound on every max abs difference
     * @param python      the interpreter that runs the ONNX checker
     */
    public record Options(String data, int images, double temperature, long seed, double tolerance, Path python) {
        public static Options defaults() {
            return new Options(null, 16, Double.NaN, 1, DEFAULT_TOLERANCE, Path.of("/usr/bin/python3"));
        }
    }

    /** The figures, as one JSON object ({@link #toJson()}); {@code pass} says whether all are in tolerance. */
    public record Report(String model, String kind, boolean hashesOk, String weights, String testImages,
                         int imageCount, double temperature, Double encoderParityMaxAbs,
                         Double logdetParityMaxRel, Double generatorParityMaxAbs, Double inversionZMaxAbs,
                         Double inversionXMaxAbs, Double inversionZBound, int nonFiniteSamples, String onnxChecker,
                         double tolerance, List<String> problems) {

        public boolean pass() {
            return problems.isEmpty();
        }

        public String toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("model", model);
            m.put("kind", kind);
            m.put("hashes_ok", hashesOk);
            m.put("weights", weights);
            m.put("test_images", testImages);
            m.put("images", imageCount);
            m.put("temperature", temperature);
            m.put("encoder_parity_max_abs", encoderParityMaxAbs);
            m.put("logdet_parity_max_rel", logdetParityMaxRel);
            m.put("generator_parity_max_abs", generatorParityMaxAbs);
            m.put("inversion_z_max_abs", inversionZMaxAbs);
            m.put("inversion_x_max_abs", inversionXMaxAbs);
            m.put("inversion_z_bound", inversionZBound);
            m.put("nonfinite_samples", nonFiniteSamples);
            m.put("onnx_checker", onnxChecker);
            m.put("tolerance", tolerance);
            m.put("problems", problems);
            m.put("pass", pass());
            try {
                return JSON.writeValueAsString(m);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private final Options o;

    public BundleVerifier(Options options) {
        this.o = options;
    }

    /**
     * @throws IllegalArgumentException when {@code dir} holds no model.json (a usage error, not a bad bundle)
     */
    public Report verify(Path dir) throws Exception {
        if (!ModelBundle.isBundle(dir)) {
            throw new IllegalArgumentException("DIR: " + dir + " holds no " + ModelCard.FILE_NAME
                    + " (not a model bundle)");
        }
        List<String> problems = new ArrayList<>();
        ModelBundle bundle;
        boolean hashesOk = true;
        try {
            bundle = ModelBundle.read(dir);
        } catch (ModelBundleException e) {
            hashesOk = false;
            problems.add(e.getMessage());
            ModelCard card;
            try {
                card = ModelCard.fromJson(Files.readString(dir.resolve(ModelCard.FILE_NAME), StandardCharsets.UTF_8));
            } catch (IllegalArgumentException unreadable) {
                return new Report(null, null, false, null, null, 0, Double.NaN, null, null, null, null, null, null, 0,
                        "not run", o.tolerance(), problems);
            }
            // Measure anyway: the figures say how far a tampered file is off.
            bundle = new ModelBundle(dir.toAbsolutePath().normalize(), card);
        }
        ModelCard card = bundle.card();
        String kind = card.kind();
        if (!kind.equals(ModelKinds.GLOW) && !kind.equals(ModelKinds.DCGAN)) {
            problems.add("kind " + kind + " is not a trained prior (glow or dcgan)");
            return new Report(card.id(), kind, hashesOk, null, null, 0, Double.NaN, null, null, null, null, null, null, 0,
                    "not run", o.tolerance(), problems);
        }
        boolean glow = kind.equals(ModelKinds.GLOW);
        double temperature = Double.isNaN(o.temperature()) ? (glow ? 0.7 : 1.0) : o.temperature();
        ImageShape shape = card.imageShape();
        int latent = card.latentSize();

        String weightsState;
        Map<String, INDArray> weights = null;
        if (!BundleWeights.present(bundle)) {
            weightsState = "absent";
            problems.add(BundleWeights.FILE + " is not in the bundle: parity with Deeplearning4j cannot be checked "
                    + "(re-export with this trainer: train ... --resume --max-steps <its step>)");
        } else {
            weights = BundleWeights.read(bundle);
            weightsState = "ok";
        }

        Images test = testImages(card, o.images());
        float[] x = test.values();
        int n = x.length / shape.size();
        float[] z = randomLatents(n, latent, temperature, o.seed());
        Double encoderParity = null;
        Double logdetRel = null;
        Double generatorParity;
        Double inversionZ = null;
        Double inversionX = null;
        int nonFinite;
        try (OnnxGraph generator = new OnnxGraph(bundle.file(ModelBundle.GENERATOR), 1)) {
            if (glow) {
                try (OnnxGraph encoder = new OnnxGraph(bundle.file(ModelBundle.ENCODER), 1)) {
                    Map<String, float[]> enc = encoder.run(GlowGraphs.IMAGE, x, n, shape.channels(), shape.height(),
                            shape.width());
                    float[] zx = enc.get(GlowGraphs.LATENT);
                    float[] gz = generate(generator, GlowGraphs.LATENT, z, n, latent);
                    nonFinite = nonFinite(gz, n);
                    inversionZ = maxAbs(encoder.run(GlowGraphs.IMAGE, gz, n, shape.channels(), shape.height(),
                            shape.width()).get(GlowGraphs.LATENT), z);
                    inversionX = maxAbs(generate(generator, GlowGraphs.LATENT, zx, n, latent), x);
                    if (weights != null) {
                        var w = BundleWeights.glow(BundleWeights.glowArchitecture(card), weights);
                        // nBits only enters the loss, which is not compared
                        Map<String, INDArray> sd = new GlowModel(w, 8).run(Nd4j.create(x, new long[] {n,
                                shape.channels(), shape.height(), shape.width()}, 'c'), GlowModel.LATENT,
                                GlowModel.LOGDET);
                        float[] zSd = flat(sd.get(GlowModel.LATENT));
                        encoderParity = maxAbs(zx, zSd);
                        logdetRel = maxRel(enc.get(GlowGraphs.LOGDET), flat(sd.get(GlowModel.LOGDET)));
                        GlowGenerator g = new GlowGenerator(w);
                        // on latents of test images and on random latents at the sampling temperature
                        double onTest = maxAbs(generate(generator, GlowGraphs.LATENT, zx, n, latent),
                                flat(g.generate(Nd4j.create(zx, new long[] {n, latent}, 'c'))));
                        double onRandom = maxAbs(gz, flat(g.generate(Nd4j.create(z, new long[] {n, latent}, 'c'))));
                        generatorParity = Math.max(onTest, onRandom);
                    } else {
                        generatorParity = null;
                    }
                }
            } else {
                float[] gz = generate(generator, DcganGraphs.LATENT, z, n, latent);
                nonFinite = nonFinite(gz, n);
                if (weights != null) {
                    var w = BundleWeights.dcgan(BundleWeights.dcganArchitecture(card), weights);
                    // the discriminator (seeded here) plays no part in G(z)
                    DcganModel model = new DcganModel(w, 0);
                    generatorParity = maxAbs(gz, flat(model.generate(Nd4j.create(z, new long[] {n, latent}, 'c'))));
                } else {
                    generatorParity = null;
                }
            }
        }
        check(problems, "encoder parity", encoderParity, glow, o.tolerance());
        check(problems, "generator parity", generatorParity, true, o.tolerance());
        double zBound = o.tolerance() * Math.max(1.0, maxAbs(z));
        check(problems, "G^-1(G(z)) - z", inversionZ, glow, zBound);
        check(problems, "G(G^-1(x)) - x", inversionX, glow, o.tolerance() * Math.max(1.0, maxAbs(x)));
        String checker = onnxChecker(bundle, glow);
        if (checker.startsWith("failed")) {
            problems.add("ONNX checker: " + checker);
        }
        return new Report(card.id(), kind, hashesOk, weightsState, test.source(), n, temperature, encoderParity,
                logdetRel, generatorParity, inversionZ, inversionX, glow ? zBound : null, nonFinite, checker, o.tolerance(),
                List.copyOf(problems));
    }

    private void check(List<String> problems, String what, Double value, boolean expected, double bound) {
        if (!expected) {
            return;
        }
        if (value == null) {
            if (problems.stream().noneMatch(p -> p.startsWith(BundleWeights.FILE))) {
                problems.add(what + " was not measured");
            }
        } else if (!(value <= bound)) {
            problems.add(what + ": max abs difference " + value + " > " + bound);
        }
    }

    /** Test images in [0, 1], flattened [n, C, H, W], from the dataset, or uniform noise when there is none. */
    private record Images(String source, float[] values) {
    }

    private Images testImages(ModelCard card, int count) throws IOException {
        ImageShape shape = card.imageShape();
        String spec = o.data() != null ? o.data()
                : defaultData(card.dataset(), Path.of(System.getenv().getOrDefault("FLOWRECON_DATA", "../shared/data")));
        if (spec != null) {
            ImageDataset test = DataSources.open(spec, null, 1).test();
            if (!test.shape().equals(shape)) {
                throw new IllegalArgumentException("--data: " + spec + " has images " + test.shape()
                        + " but the bundle's generator makes " + shape);
            }
            int n = Math.min(count, test.size());
            float[] x = new float[n * shape.size()];
            for (int i = 0; i < n; i++) {
                System.arraycopy(test.image(i), 0, x, i * shape.size(), shape.size());
            }
            return new Images(test.name() + " test 0.." + (n - 1), x);
        }
        Random random = new Random(o.seed() + 1);
        float[] x = new float[count * shape.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = random.nextFloat();
        }
        return new Images("uniform noise (no dataset found for " + card.dataset() + "; pass --data)", x);
    }

    /**
     * Debian's dataset folders, where the card's dataset has one; CelebA from the team's data folder
     * ({@code FLOWRECON_DATA}, else {@code ../shared/data} beside the repository).
     */
    static String defaultData(String dataset, Path dataRoot) {
        if (dataset == null) {
            return null;
        }
        Path fmnist = Path.of("/usr/share/datasets/fashion-mnist");
        Path mnist = Path.of("/usr/share/datasets/mnist");
        if (dataset.startsWith("fashion-mnist") && Files.isDirectory(fmnist)) {
            return "fmnist:" + fmnist;
        }
        if (dataset.startsWith("mnist") && Files.isDirectory(mnist)) {
            return "mnist:" + mnist;
        }
        if (dataset.startsWith("celeba")) {
            Path celeba = dataRoot.resolve("celeba");
            if (Files.isDirectory(celeba)) {
                return "celeba:" + celeba;
            }
        }
        return null;
    }

    /** z = temperature * N(0, I), [n, latent], from java.util.Random(seed). */
    public static float[] randomLatents(int n, int latent, double temperature, long seed) {
        Random random = new Random(seed);
        float[] z = new float[n * latent];
        for (int i = 0; i < z.length; i++) {
            z[i] = (float) (temperature * random.nextGaussian());
        }
        return z;
    }

    private static float[] generate(OnnxGraph generator, String input, float[] z, int n, int latent)
            throws Exception {
        return generator.run(input, z, n, latent).values().iterator().next();
    }

    /** Runs {@code onnx.checker.check_model(full_check=True)} on each ONNX file: ok, failed: ..., unavailable. */
    private String onnxChecker(ModelBundle bundle, boolean glow) {
        if (!Files.isExecutable(o.python())) {
            return "unavailable (no " + o.python() + ")";
        }
        // check_model(onnx.load(p)), never check_model(p, full_check=True): onnx 1.12 (Debian bookworm) then runs
        // infer_shapes_path(p), which rewrites the file in place and breaks the bundle's sha256
        List<String> command = new ArrayList<>(List.of(o.python().toString(), "-c",
                "import sys\ntry:\n import onnx\nexcept ImportError:\n sys.exit(3)\n"
                        + "for p in sys.argv[1:]:\n onnx.checker.check_model(onnx.load(p), full_check=True)\n",
                bundle.file(ModelBundle.GENERATOR).toString()));
        if (glow) {
            command.add(bundle.file(ModelBundle.ENCODER).toString());
        }
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            byte[] output = p.getInputStream().readAllBytes();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "unavailable (timed out)";
            }
            if (p.exitValue() == 3) {
                return "unavailable (python3-onnx not installed)";
            }
            if (p.exitValue() != 0) {
                String text = new String(output, StandardCharsets.UTF_8).strip();
                String[] lines = text.split("\n");
                return "failed: " + lines[lines.length - 1];
            }
            return "ok";
        } catch (IOException e) {
            return "unavailable (" + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unavailable (interrupted)";
        }
    }

    /** Samples (of n, flattened) with a NaN or infinite value: a generator that overflows on some z. */
    private static int nonFinite(float[] x, int n) {
        int per = x.length / n;
        int count = 0;
        for (int i = 0; i < n; i++) {
            for (int k = i * per; k < (i + 1) * per; k++) {
                if (!Float.isFinite(x[k])) {
                    count++;
                    break;
                }
            }
        }
        return count;
    }

    private static float[] flat(INDArray a) {
        return a.dup('c').data().asFloat();
    }

    /** Largest finite |a_i| (0 for none): the scale an inversion error is held against. */
    static double maxAbs(float[] a) {
        double worst = 0;
        for (float v : a) {
            if (Float.isFinite(v)) {
                worst = Math.max(worst, Math.abs(v));
            }
        }
        return worst;
    }

    static double maxAbs(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalStateException("compared arrays differ in length: " + a.length + " vs " + b.length);
        }
        double worst = 0;
        for (int i = 0; i < a.length; i++) {
            if (Float.compare(a[i], b[i]) == 0) {
                // equal, including the same infinity or both NaN: the two implementations agree
                continue;
            }
            double d = Math.abs((double) a[i] - b[i]);
            // one NaN or infinity where the other has a number must fail, not vanish in max()
            worst = Double.isFinite(d) ? Math.max(worst, d) : Double.POSITIVE_INFINITY;
        }
        return worst;
    }

    private static double maxRel(float[] a, float[] b) {
        double worst = 0;
        for (int i = 0; i < a.length; i++) {
            worst = Math.max(worst, Math.abs((double) a[i] - b[i]) / Math.max(1, Math.abs((double) a[i])));
        }
        return worst;
    }
}
