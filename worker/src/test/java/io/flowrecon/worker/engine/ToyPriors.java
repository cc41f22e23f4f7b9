package io.flowrecon.worker.engine;

import io.flowrecon.adjoint.onnx.Attrs;
import io.flowrecon.adjoint.onnx.GraphBuilder;
import io.flowrecon.adjoint.onnx.Ops;
import io.flowrecon.shared.job.ImageShape;
import java.util.List;
import java.util.SplittableRandom;

/** Small hand-built generators standing in for the Glow / DCGAN priors in engine tests. */
public final class ToyPriors {

    static final ImageShape CONV_SHAPE = new ImageShape(3, 6, 6);
    static final int CONV_LATENT = 6;

    private ToyPriors() {
    }

    /**
     * z [B, 6] -> MatMul [6, 36] + bias -> LeakyRelu -> Reshape [-1, 4, 3, 3] -> ConvTranspose (4 -> 3 channels,
     * kernel 2, stride 2) -> Sigmoid: x [B, 3, 6, 6] in (0, 1). Batch-agnostic (Reshape uses -1).
     */
    public static Prior convGenerator(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        GraphBuilder g = new GraphBuilder("toy_generator");
        Ops ops = new Ops(g);
        String z = g.inputFloat("z", 1, CONV_LATENT);
        String w1 = g.initializer("w1", gaussian(random, CONV_LATENT * 36, 0.6), CONV_LATENT, 36);
        String b1 = g.initializer("b1", gaussian(random, 36, 0.1), 36);
        String h = ops.leakyRelu(ops.add(ops.matMul(z, w1), b1), 0.2f);
        String h4 = g.node("Reshape", List.of(h, g.constantInts("shape", -1, 4, 3, 3)), "h4");
        String w2 = g.initializer("w2", gaussian(random, 4 * 3 * 2 * 2, 0.5), 4, 3, 2, 2);
        String up = g.node("ConvTranspose", List.of(h4, w2), "up", Attrs.ints("strides", 2, 2), Attrs.ints("kernel_shape", 2, 2));
        String x = g.node("Sigmoid", List.of(up), "x");
        g.output(x);
        return new Prior("toy-conv", "toy-conv-" + seed, g.build(), CONV_SHAPE, CONV_LATENT);
    }

    /** G(z) = reshape(z): the image is the latent itself, to compare the operator nodes with the Java operators. */
    static Prior reshapeGenerator(ImageShape shape) {
        GraphBuilder g = new GraphBuilder("reshape_generator");
        String z = g.inputFloat("z", 1, shape.size());
        g.output(g.node("Reshape", List.of(z, g.constantInts("shape", -1, shape.channels(), shape.height(), shape.width())), "x"));
        return new Prior("reshape", "reshape-" + shape, g.build(), shape, shape.size());
    }

    /** The linear generator of Theorem 1 as a single MatMul: x = reshape(z G^T) with G given row-major n x n. */
    static Prior linearGenerator(float[] gRowMajor, int n) {
        float[] transposed = new float[n * n];
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < n; c++) {
                transposed[c * n + r] = gRowMajor[r * n + c];
            }
        }
        GraphBuilder g = new GraphBuilder("linear_generator");
        String z = g.inputFloat("z", 1, n);
        String x = g.node("MatMul", List.of(z, g.initializer("g_t", transposed, n, n)), "x_flat");
        g.output(g.node("Reshape", List.of(x, g.constantInts("shape", -1, 1, 1, n)), "x"));
        return new Prior("linear", "linear-" + java.util.Arrays.hashCode(gRowMajor), g.build(), new ImageShape(1, 1, n), n);
    }

    /**
     * A DCGAN generator (Radford et al. 2016) for 64x64x3 images with random weights, for timing only:
     * z [B, 100] -> ConvTranspose 100->512 (4x4) -> 256 (8x8) -> 128 (16x16) -> 64 (32x32) -> 3 (64x64), ReLU
     * between layers (batch norm folded away, as in an exported inference graph), Sigmoid at the end.
     */
    public static Prior dcgan64(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        GraphBuilder g = new GraphBuilder("dcgan64");
        Ops ops = new Ops(g);
        String z = g.inputFloat("z", 1, 100);
        String h = g.node("Reshape", List.of(z, g.constantInts("shape", -1, 100, 1, 1)), "z4");
        int[] channels = {100, 512, 256, 128, 64, 3};
        for (int layer = 0; layer < 5; layer++) {
            int in = channels[layer];
            int out = channels[layer + 1];
            String w = g.initializer("w" + layer, gaussian(random, in * out * 16, Math.sqrt(2.0 / (in * 16))), in, out, 4, 4);
            String b = g.initializer("b" + layer, new float[out], out);
            h = layer == 0
                    ? g.node("ConvTranspose", List.of(h, w, b), "up", Attrs.ints("kernel_shape", 4, 4))
                    : g.node("ConvTranspose", List.of(h, w, b), "up", Attrs.ints("kernel_shape", 4, 4),
                            Attrs.ints("strides", 2, 2), Attrs.ints("pads", 1, 1, 1, 1));
            h = layer < 4 ? ops.relu(h) : ops.sigmoid(h);
        }
        g.output(h);
        return new Prior("synthetic-dcgan64", "synthetic-dcgan64-" + seed, g.build(), new ImageShape(3, 64, 64), 100);
    }

    /** Writes a prior as a bundle folder (generator.onnx + model.json with hashes). */
    public static void writeBundle(Prior prior, String kind, java.nio.file.Path dir) throws Exception {
        java.nio.file.Files.createDirectories(dir);
        io.flowrecon.adjoint.onnx.OnnxFiles.write(prior.generator(), dir.resolve("generator.onnx"));
        io.flowrecon.shared.model.ModelCard card = new io.flowrecon.shared.model.ModelCard(prior.id(), kind, null, null,
                prior.shape(), prior.latent(), null, java.util.Map.of("note", "random weights, for tests and timing"),
                null, null, null, null);
        io.flowrecon.shared.model.ModelBundle.write(dir, card, List.of("generator.onnx"));
    }

    public static float[] gaussian(SplittableRandom random, int count, double std) {
        float[] v = new float[count];
        for (int i = 0; i < count; i++) {
            v[i] = (float) (std * random.nextGaussian());
        }
        return v;
    }
}
