package io.flowrecon.worker.cli.commands;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.flowrecon.shared.image.Image;
import io.flowrecon.shared.image.Png;
import io.flowrecon.shared.job.ImageShape;
import io.flowrecon.shared.model.ModelBundle;
import io.flowrecon.shared.model.ModelCard;
import io.flowrecon.adjoint.onnx.OnnxFiles;
import io.flowrecon.shared.prior.DcganArchitecture;
import io.flowrecon.shared.prior.DcganWeights;
import io.flowrecon.shared.prior.GlowArchitecture;
import io.flowrecon.shared.prior.GlowWeights;
import io.flowrecon.shared.prior.PriorBundles;
import io.flowrecon.shared.prior.PriorCardInfo;
import io.flowrecon.worker.cli.Command;
import io.flowrecon.worker.runtime.RuntimeConfig;
import io.flowrecon.worker.runtime.SessionFactory;
import java.io.PrintStream;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * {@code flowrecon model init-glow | init-dcgan}: writes a bundle of randomly initialised (untrained) prior
 * weights, with a PNG grid of samples from its generator ({@code samples.png}, listed in the card).
 */
public final class ModelCommand implements Command {

    /** The samples file every bundle written here carries. */
    public static final String SAMPLES = "samples.png";
    /** Glow samples are drawn at temperature 0.7 (Kingma &amp; Dhariwal 2018, section 5), GAN ones at 1. */
    private static final double GLOW_TEMPERATURE = 0.7;

    private static final String USAGE = """
            usage:
              flowrecon model init-glow --channels C --size S --levels L --steps K --hidden H --seed N --out DIR
                                        [--id ID] [--samples N]
              flowrecon model init-dcgan --channels C --size S --latent D --seed N --out DIR
                                         [--features F] [--id ID] [--samples N]
            writes an untrained (random-init) prior bundle: generator.onnx, encoder.onnx (glow), model.json,
            samples.png (a grid of N generator samples, default 16; 0 for none). --id defaults to DIR's name.""";

    private final PrintStream out;
    private final PrintStream err;

    public ModelCommand() {
        this(System.out, System.err);
    }

    public ModelCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    @Override
    public String summary() {
        return "write a prior bundle: model init-glow | init-dcgan (random-init weights)";
    }

    @Override
    public int run(List<String> args, Map<String, String> env) throws Exception {
        if (args.isEmpty() || List.of("help", "-h", "--help").contains(args.get(0))) {
            err.println(USAGE);
            return 2;
        }
        String sub = args.get(0);
        try {
            return switch (sub) {
                case "init-glow" -> initGlow(Flags.parse("model init-glow", args.subList(1, args.size()),
                        List.of("channels", "size", "levels", "steps", "hidden", "seed", "out"),
                        List.of("id", "samples")), env);
                case "init-dcgan" -> initDcgan(Flags.parse("model init-dcgan", args.subList(1, args.size()),
                        List.of("channels", "size", "latent", "seed", "out"), List.of("id", "samples", "features")),
                        env);
                default -> throw new UsageException("unknown model command '" + sub + "'");
            };
        } catch (UsageException e) {
            err.println(e.getMessage());
            err.println(USAGE);
            return 2;
        } catch (IllegalArgumentException e) {
            // architecture rules (size vs levels, ...): the message names the field and the rule
            err.println("model " + sub + ": " + e.getMessage());
            return 2;
        }
    }

    private int initGlow(Flags flags, Map<String, String> env) throws Exception {
        GlowArchitecture arch = new GlowArchitecture(flags.positive("channels"), flags.positive("size"),
                flags.positive("levels"), flags.positive("steps"), flags.positive("hidden"));
        long seed = flags.integer("seed");
        Path dir = flags.outDir();
        ModelBundle bundle = PriorBundles.writeGlow(dir, GlowWeights.random(arch, seed),
                PriorCardInfo.randomInit(flags.id(dir), seed, Instant.now()));
        return finish(bundle, flags, seed, GLOW_TEMPERATURE, env);
    }

    private int initDcgan(Flags flags, Map<String, String> env) throws Exception {
        DcganArchitecture arch = new DcganArchitecture(flags.positive("channels"), flags.positive("size"),
                flags.positive("latent"), flags.has("features") ? flags.positive("features")
                : DcganArchitecture.DEFAULT_FEATURES);
        long seed = flags.integer("seed");
        Path dir = flags.outDir();
        ModelBundle bundle = PriorBundles.writeDcgan(dir, DcganWeights.random(arch, seed),
                PriorCardInfo.randomInit(flags.id(dir), seed, Instant.now()));
        return finish(bundle, flags, seed, 1.0, env);
    }

    /** Adds the sample grid (re-hashing the card so that it lists it) and reports. */
    private int finish(ModelBundle bundle, Flags flags, long seed, double temperature, Map<String, String> env)
            throws Exception {
        int samples = flags.has("samples") ? flags.nonNegative("samples") : 16;
        if (samples > 0) {
            Image grid;
            try {
                grid = sampleGrid(bundle, samples, seed, temperature, RuntimeConfig.fromEnvironment(env));
            } catch (OrtException | IllegalStateException e) {
                err.println("model: the bundle in " + bundle.dir() + " is written and valid, but " + SAMPLES
                        + " could not be made (ONNX Runtime: " + e.getMessage() + ")");
                return 1;
            }
            Files.write(bundle.file(SAMPLES), Png.encode(grid));
            List<String> files = new ArrayList<>(bundle.card().files().keySet());
            files.add(SAMPLES);
            bundle = ModelBundle.write(bundle.dir(), bundle.card(), files);
        }
        ModelCard card = bundle.card();
        out.println("wrote " + card.kind() + " bundle '" + card.id() + "' to " + bundle.dir() + " (image "
                + card.imageShape() + ", latent " + card.latentSize() + ", files " + card.files().keySet()
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
        return tile(images, count, shape);
    }

    /** Tiles count C x S x S images (CHW, one after another) on a square-ish grid with 2-pixel black gaps. */
    private static Image tile(float[] images, int count, ImageShape shape) {
        int gap = 2;
        int columns = (int) Math.ceil(Math.sqrt(count));
        int rows = (count + columns - 1) / columns;
        int h = shape.height();
        int w = shape.width();
        ImageShape gridShape = new ImageShape(shape.channels(), rows * h + (rows - 1) * gap,
                columns * w + (columns - 1) * gap);
        Image grid = Image.zeros(gridShape);
        for (int k = 0; k < count; k++) {
            int top = (k / columns) * (h + gap);
            int left = (k % columns) * (w + gap);
            for (int c = 0; c < shape.channels(); c++) {
                for (int y = 0; y < h; y++) {
                    System.arraycopy(images, k * shape.size() + (c * h + y) * w, grid.values(),
                            grid.index(c, top + y, left), w);
                }
            }
        }
        return grid.clipped();
    }

    /** A command-line mistake: the message names the flag and the rule. */
    private static final class UsageException extends IllegalArgumentException {
        UsageException(String message) {
            super(message);
        }
    }

    /** {@code --name value} pairs of one sub-command, checked against its required and optional flags. */
    private record Flags(String command, Map<String, String> values) {

        static Flags parse(String command, List<String> args, List<String> required, List<String> optional) {
            Map<String, String> values = new LinkedHashMap<>();
            for (int i = 0; i < args.size(); i++) {
                String arg = args.get(i);
                if (!arg.startsWith("--") || arg.length() == 2) {
                    throw new UsageException(command + ": expected a --flag, got '" + arg + "'");
                }
                String name = arg.substring(2);
                String value = null;
                int eq = name.indexOf('=');
                if (eq >= 0) {
                    value = name.substring(eq + 1);
                    name = name.substring(0, eq);
                }
                if (!required.contains(name) && !optional.contains(name)) {
                    List<String> known = new ArrayList<>(required);
                    known.addAll(optional);
                    throw new UsageException(command + ": unknown flag --" + name + " (known: --"
                            + String.join(", --", known) + ")");
                }
                if (value == null) {
                    if (i + 1 >= args.size() || args.get(i + 1).startsWith("--")) {
                        throw new UsageException(command + ": --" + name + " needs a value");
                    }
                    value = args.get(++i);
                }
                if (values.put(name, value) != null) {
                    throw new UsageException(command + ": --" + name + " is given twice");
                }
            }
            for (String name : required) {
                if (!values.containsKey(name)) {
                    throw new UsageException(command + ": --" + name + " is required");
                }
            }
            return new Flags(command, values);
        }

        boolean has(String name) {
            return values.containsKey(name);
        }

        long integer(String name) {
            String text = values.get(name);
            try {
                return Long.parseLong(text.trim());
            } catch (NumberFormatException e) {
                throw new UsageException(command + ": --" + name + " must be an integer, got '" + text + "'");
            }
        }

        int positive(String name) {
            long v = integer(name);
            if (v < 1 || v > Integer.MAX_VALUE) {
                throw new UsageException(command + ": --" + name + " must be a positive integer, got " + v);
            }
            return (int) v;
        }

        int nonNegative(String name) {
            long v = integer(name);
            if (v < 0 || v > 1024) {
                throw new UsageException(command + ": --" + name + " must be between 0 and 1024, got " + v);
            }
            return (int) v;
        }

        /** --out: a new or empty folder, or one without a bundle card yet (a bundle is never overwritten). */
        Path outDir() {
            Path dir = Path.of(values.get("out"));
            if (Files.exists(dir) && !Files.isDirectory(dir)) {
                throw new UsageException(command + ": --out " + dir + " exists and is not a folder");
            }
            if (ModelBundle.isBundle(dir)) {
                throw new UsageException(command + ": --out " + dir + " already holds a bundle ("
                        + ModelCard.FILE_NAME + "); choose a new folder");
            }
            return dir;
        }

        /** --id, or the out folder's name. */
        String id(Path dir) {
            String id = values.getOrDefault("id", dir.toAbsolutePath().normalize().getFileName().toString());
            if (!id.matches("[a-z0-9][a-z0-9._-]*")) {
                throw new UsageException(command + ": --id must be lower-case letters, digits, '.', '_' or '-' "
                        + "(starting with a letter or digit), got '" + id + "'");
            }
            return id;
        }
    }
}
