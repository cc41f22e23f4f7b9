package io.flowrecon.shared.prior;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * All weights of a {@link DcganArchitecture} generator, as plain arrays (a trainer fills these; {@link DcganGraphs}
 * writes them into ONNX). With feature channels F_0 .. F_{u-1} ({@link DcganArchitecture#featureChannels()}) and
 * start size s0: projection D -> F_0*s0*s0, then u-1 blocks F_i -> F_{i+1}, then the output F_{u-1} -> C.
 *
 * @param architecture   the shape these weights fill
 * @param projection     the dense layer z -> F_0 x s0 x s0 feature maps
 * @param projectionNorm batch norm over F_0 channels after the projection
 * @param blocks         u - 1 upsampling blocks
 * @param output         the last ConvTranspose (with bias), followed by Tanh
 */
public record DcganWeights(DcganArchitecture architecture, Dense projection, BatchNorm projectionNorm,
                           List<UpBlock> blocks, ConvTranspose2d output) {

    /** Batch norm epsilon (PyTorch's and DL4J's default). */
    public static final float BATCH_NORM_EPSILON = 1e-5f;

    public DcganWeights {
        blocks = List.copyOf(blocks);
        List<Integer> f = architecture.featureChannels();
        int s0 = architecture.startSize();
        check("projection input", projection.inFeatures(), architecture.latent());
        check("projection output", projection.outFeatures(), f.get(0) * s0 * s0);
        check("projection norm channels", projectionNorm.channels(), f.get(0));
        check("blocks", blocks.size(), f.size() - 1);
        for (int i = 0; i < blocks.size(); i++) {
            check("block " + i + " input channels", blocks.get(i).conv().inChannels(), f.get(i));
            check("block " + i + " output channels", blocks.get(i).conv().outChannels(), f.get(i + 1));
            check("block " + i + " norm channels", blocks.get(i).norm().channels(), f.get(i + 1));
        }
        check("output input channels", output.inChannels(), f.get(f.size() - 1));
        check("output channels", output.outChannels(), architecture.channels());
        if (output.bias() == null) {
            throw new IllegalArgumentException("dcgan weights: the output layer needs a bias");
        }
    }

    /**
     * A dense layer y = x W + b (ONNX Gemm with B = weight, not transposed).
     *
     * @param weight [inFeatures][outFeatures] row-major; output index = channel * s0 * s0 + y * s0 + x
     * @param bias   [outFeatures]
     */
    public record Dense(int inFeatures, int outFeatures, float[] weight, float[] bias) {
        public Dense {
            Layouts.requireLength("dense weight", weight, (long) inFeatures * outFeatures);
            Layouts.requireLength("dense bias", bias, outFeatures);
        }
    }

    /**
     * Batch normalisation in inference form: y = scale * (x - mean) / sqrt(variance + epsilon) + bias.
     *
     * @param scale    gamma, [c]
     * @param bias     beta, [c]
     * @param mean     running mean, [c]
     * @param variance running variance, [c], positive
     */
    public record BatchNorm(float[] scale, float[] bias, float[] mean, float[] variance) {
        public BatchNorm {
            int c = scale == null ? 0 : scale.length;
            Layouts.requireLength("batch norm scale", scale, c);
            Layouts.requireLength("batch norm bias", bias, c);
            Layouts.requireLength("batch norm mean", mean, c);
            Layouts.requireLength("batch norm variance", variance, c);
            for (float v : variance) {
                if (!(v > 0)) {
                    throw new IllegalArgumentException("batch norm variance must be positive, got " + v);
                }
            }
        }

        public int channels() {
            return scale.length;
        }
    }

    /**
     * ConvTranspose with kernel 4, stride 2, padding 1 (doubles the size), as ONNX takes it.
     *
     * @param weight [inChannels][outChannels][4][4], row-major (ONNX ConvTranspose's layout)
     * @param bias   [outChannels], or null for none (the layers followed by batch norm have none)
     */
    public record ConvTranspose2d(int inChannels, int outChannels, float[] weight, float[] bias) {
        public static final int KERNEL = 4;

        public ConvTranspose2d {
            Layouts.requireLength("conv transpose weight", weight, (long) inChannels * outChannels * KERNEL * KERNEL);
            if (bias != null) {
                Layouts.requireLength("conv transpose bias", bias, outChannels);
            }
        }
    }

    /** ConvTranspose (no bias) -> BatchNorm -> ReLU. */
    public record UpBlock(ConvTranspose2d conv, BatchNorm norm) {
    }

    /**
     * Random weights that keep activations at unit scale (He et al. 2015: std gain / sqrt(fan in), gain sqrt(2)
     * after a ReLU; a stride-2 kernel-4 ConvTranspose has fan in 4 x inChannels per output pixel), batch norms
     * near the identity (gamma 1 + N(0, 0.02^2), running statistics near 0 and 1), so that outputs of random z
     * spread over (0, 1). Deterministic in {@code seed} (java.util.Random).
     */
    public static DcganWeights random(DcganArchitecture arch, long seed) {
        Random random = new Random(seed);
        List<Integer> f = arch.featureChannels();
        int n0 = f.get(0) * arch.startSize() * arch.startSize();
        Dense projection = new Dense(arch.latent(), n0,
                Layouts.gaussian(random, arch.latent() * n0, 1 / Math.sqrt(arch.latent())),
                Layouts.gaussian(random, n0, 0.01));
        BatchNorm norm0 = randomNorm(f.get(0), random);
        List<UpBlock> blocks = new ArrayList<>();
        for (int i = 0; i + 1 < f.size(); i++) {
            blocks.add(new UpBlock(randomConv(f.get(i), f.get(i + 1), Math.sqrt(2), false, random),
                    randomNorm(f.get(i + 1), random)));
        }
        ConvTranspose2d output = randomConv(f.get(f.size() - 1), arch.channels(), Math.sqrt(2), true, random);
        return new DcganWeights(arch, projection, norm0, blocks, output);
    }

    private static ConvTranspose2d randomConv(int in, int out, double gain, boolean bias, Random random) {
        int n = in * out * ConvTranspose2d.KERNEL * ConvTranspose2d.KERNEL;
        return new ConvTranspose2d(in, out, Layouts.gaussian(random, n, gain / Math.sqrt(4.0 * in)),
                bias ? Layouts.gaussian(random, out, 0.01) : null);
    }

    private static BatchNorm randomNorm(int c, Random random) {
        float[] variance = Layouts.gaussian(random, c, 0.05);
        for (int i = 0; i < c; i++) {
            variance[i] = (float) Math.exp(variance[i]);
        }
        return new BatchNorm(Layouts.gaussian(random, c, 1, 0.02), Layouts.gaussian(random, c, 0.02),
                Layouts.gaussian(random, c, 0.05), variance);
    }

    private static void check(String what, int actual, int expected) {
        if (actual != expected) {
            throw new IllegalArgumentException("dcgan weights: " + what + ": expected " + expected + ", got " + actual);
        }
    }
}
