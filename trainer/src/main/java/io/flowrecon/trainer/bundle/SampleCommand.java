package io.flowrecon.trainer.bundle;

import io.flowrecon.shared.cli.CommandLines;
import io.flowrecon.shared.cli.HelpOption;
import io.flowrecon.shared.image.Image;
import io.flowrecon.shared.image.Png;
import io.flowrecon.shared.image.SampleGrid;
import io.flowrecon.shared.job.ImageShape;
import io.flowrecon.shared.model.ModelBundle;
import io.flowrecon.shared.model.ModelBundleException;
import io.flowrecon.shared.model.ModelKinds;
import io.flowrecon.shared.prior.GlowGraphs;
import io.flowrecon.trainer.TrainCli;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code sample DIR --out PNG [--n 64]}: a grid of samples of a bundle's generator. Exit 0 ok, 1 failed, 2 usage. */
@Command(name = "sample", sortOptions = false,
        description = "Write a grid of N samples of the bundle's generator.onnx, clipped to [0, 1].")
public final class SampleCommand implements Callable<Integer> {

    @ParentCommand
    TrainCli cli;
    @Spec
    CommandSpec spec;
    @Mixin
    HelpOption help;

    @Parameters(paramLabel = "DIR", description = "The model bundle folder.")
    Path dir;
    @Option(names = "--out", required = true, paramLabel = "PNG", description = "Where the grid is written.")
    Path png;
    @Option(names = "--n", paramLabel = "N", defaultValue = "64", description = "Number of samples (default ${DEFAULT-VALUE}).")
    int n;
    @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "Default ${DEFAULT-VALUE}.")
    long seed;
    @Option(names = "--temperature", paramLabel = "T", description = "Std of z (glow 0.7, dcgan 1).")
    Double temperature;

    @Override
    public Integer call() {
        if (n < 1) {
            throw CommandLines.usageError(spec, "--n must be a positive integer, got " + n);
        }
        if (temperature != null && (!(temperature > 0) || temperature.isInfinite())) {
            throw CommandLines.usageError(spec, "--temperature must be a positive number, got " + temperature);
        }
        if (!ModelBundle.isBundle(dir)) {
            throw CommandLines.usageError(spec, "DIR: " + dir + " holds no model.json (not a model bundle)");
        }
        PrintStream out = cli.out();
        PrintStream err = cli.err();
        String name = CommandLines.qualifiedName(spec);
        try {
            ModelBundle bundle = ModelBundle.read(dir);
            String kind = bundle.card().kind();
            if (!kind.equals(ModelKinds.GLOW) && !kind.equals(ModelKinds.DCGAN)) {
                err.println(name + ": DIR: kind " + kind + " has no generator to sample (glow or dcgan only)");
                return 2;
            }
            double t = temperature == null ? ModelKinds.sampleTemperature(kind) : temperature;
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
            Image image = SampleGrid.tile(x, n, shape);
            Path parent = png.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.write(png, Png.encode(image));
            out.println(String.format(Locale.ROOT, "sample: %d samples of %s (%s, temperature %.2f, seed %d) -> %s "
                    + "(%dx%d)", n, bundle.card().id(), kind, t, seed, png, image.width(), image.height()));
            return 0;
        } catch (ModelBundleException e) {
            err.println(name + ": " + e.getMessage());
            return 1;
        } catch (Exception e) {
            err.println(name + ": failed: " + e);
            e.printStackTrace(err);
            return 1;
        }
    }
}
