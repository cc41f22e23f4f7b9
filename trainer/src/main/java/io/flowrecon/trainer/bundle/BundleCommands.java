package io.flowrecon.trainer.bundle;

import io.flowrecon.shared.job.ImageShape;
import io.flowrecon.shared.model.ModelBundle;
import io.flowrecon.shared.model.ModelBundleException;
import io.flowrecon.shared.model.ModelKinds;
import io.flowrecon.shared.prior.GlowGraphs;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;

/**
 * {@code verify DIR} and {@code sample DIR --n 64 --out PNG} (issue 4). Exit codes: 0 ok, 1 out of tolerance or
 * failed, 2 usage error.
 */
public final class BundleCommands {
    public static final String VERIFY_USAGE = """
            usage: verify DIR [--data KIND:DIR] [--images N (16)] [--seed S (1)] [--temperature T (glow 0.7, dcgan 1)]
                              [--tolerance E (1e-4)] [--python PATH (/usr/bin/python3)]
              prints one JSON line of parity and inversion figures; exit 1 when any is out of tolerance
            """;
    public static final String SAMPLE_USAGE = """
            usage: sample DIR --out PNG [--n N (64)] [--seed S (1)] [--temperature T (glow 0.7, dcgan 1)]
              a grid of N samples of the bundle's generator.onnx, clipped to [0, 1]
            """;

    private BundleCommands() {
    }

    /** {@code args} without the word "verify". */
    public static int verify(List<String> args, PrintStream out, PrintStream err) {
        Deque<String> a = new ArrayDeque<>(args);
        Path dir;
        BundleVerifier.Options o = BundleVerifier.Options.defaults();
        try {
            dir = directory(a);
            String data = o.data();
            int images = o.images();
            double temperature = o.temperature();
            long seed = o.seed();
            double tolerance = o.tolerance();
            Path python = o.python();
            while (!a.isEmpty()) {
                String flag = a.removeFirst();
                switch (flag) {
                    case "--data" -> data = value(a, flag);
                    case "--images" -> images = positiveInt(flag, value(a, flag));
                    case "--temperature" -> temperature = positive(flag, value(a, flag));
                    case "--seed" -> seed = parseLong(flag, value(a, flag));
                    case "--tolerance" -> tolerance = positive(flag, value(a, flag));
                    case "--python" -> python = Path.of(value(a, flag));
                    default -> throw new IllegalArgumentException("unknown option " + flag);
                }
            }
            o = new BundleVerifier.Options(data, images, temperature, seed, tolerance, python);
        } catch (IllegalArgumentException e) {
            err.println("verify: " + e.getMessage());
            err.print(VERIFY_USAGE);
            return 2;
        }
        try {
            BundleVerifier.Report report = new BundleVerifier(o).verify(dir);
            out.println(report.toJson());
            for (String problem : report.problems()) {
                err.println("verify: " + problem);
            }
            return report.pass() ? 0 : 1;
        } catch (IllegalArgumentException e) {
            err.println("verify: " + e.getMessage());
            return 2;
        } catch (Exception e) {
            err.println("verify: failed: " + e);
            e.printStackTrace(err);
            return 1;
        }
    }

    /** {@code args} without the word "sample". */
    public static int sample(List<String> args, PrintStream out, PrintStream err) {
        Deque<String> a = new ArrayDeque<>(args);
        Path dir;
        Path png = null;
        int n = 64;
        long seed = 1;
        double temperature = Double.NaN;
        try {
            dir = directory(a);
            while (!a.isEmpty()) {
                String flag = a.removeFirst();
                switch (flag) {
                    case "--n" -> n = positiveInt(flag, value(a, flag));
                    case "--out" -> png = Path.of(value(a, flag));
                    case "--seed" -> seed = parseLong(flag, value(a, flag));
                    case "--temperature" -> temperature = positive(flag, value(a, flag));
                    default -> throw new IllegalArgumentException("unknown option " + flag);
                }
            }
            if (png == null) {
                throw new IllegalArgumentException("--out PNG is required");
            }
            if (!ModelBundle.isBundle(dir)) {
                throw new IllegalArgumentException("DIR: " + dir + " holds no model.json (not a model bundle)");
            }
        } catch (IllegalArgumentException e) {
            err.println("sample: " + e.getMessage());
            err.print(SAMPLE_USAGE);
            return 2;
        }
        try {
            ModelBundle bundle = ModelBundle.read(dir);
            String kind = bundle.card().kind();
            if (!kind.equals(ModelKinds.GLOW) && !kind.equals(ModelKinds.DCGAN)) {
                err.println("sample: DIR: kind " + kind + " has no generator to sample (glow or dcgan only)");
                return 2;
            }
            double t = Double.isNaN(temperature) ? (kind.equals(ModelKinds.GLOW) ? 0.7 : 1.0) : temperature;
            ImageShape shape = bundle.card().imageShape();
            int latent = bundle.card().latentSize();
            // DcganGraphs.LATENT is the same name
            float[] z = BundleVerifier.randomLatents(n, latent, t, seed);
            float[] x = new float[n * shape.size()];
            try (OnnxGraph generator = new OnnxGraph(bundle.file(ModelBundle.GENERATOR), 1)) {
                // batches of 64 keep the memory of large grids bounded
                for (int from = 0; from < n; from += 64) {
                    int b = Math.min(64, n - from);
                    float[] zb = new float[b * latent];
                    System.arraycopy(z, from * latent, zb, 0, zb.length);
                    float[] xb = generator.run(GlowGraphs.LATENT, zb, b, latent).values().iterator().next();
                    System.arraycopy(xb, 0, x, from * shape.size(), xb.length);
                }
            }
            var image = SampleGrid.render(x, n, shape);
            SampleGrid.write(image, png);
            out.println(String.format(Locale.ROOT, "sample: %d samples of %s (%s, temperature %.2f, seed %d) -> %s "
                    + "(%dx%d)", n, bundle.card().id(), kind, t, seed, png, image.getWidth(), image.getHeight()));
            return 0;
        } catch (ModelBundleException e) {
            err.println("sample: " + e.getMessage());
            return 1;
        } catch (Exception e) {
            err.println("sample: failed: " + e);
            e.printStackTrace(err);
            return 1;
        }
    }

    private static Path directory(Deque<String> a) {
        String d = a.pollFirst();
        if (d == null || d.startsWith("--")) {
            throw new IllegalArgumentException("DIR (the bundle folder) is required first");
        }
        return Path.of(d);
    }

    private static String value(Deque<String> a, String flag) {
        String v = a.pollFirst();
        if (v == null || v.startsWith("--")) {
            throw new IllegalArgumentException(flag + " needs a value");
        }
        return v;
    }

    private static int positiveInt(String flag, String v) {
        try {
            int i = Integer.parseInt(v);
            if (i < 1) {
                throw new IllegalArgumentException(flag + " must be a positive integer, got " + v);
            }
            return i;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " must be a positive integer, got " + v);
        }
    }

    private static long parseLong(String flag, String v) {
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " must be an integer, got " + v);
        }
    }

    private static double positive(String flag, String v) {
        double d;
        try {
            d = Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " must be a positive number, got " + v);
        }
        if (!(d > 0) || Double.isInfinite(d)) {
            throw new IllegalArgumentException(flag + " must be a positive number, got " + v);
        }
        return d;
    }
}
