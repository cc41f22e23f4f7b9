package io.flowrecon.shared.prior;

import io.flowrecon.adjoint.onnx.Attrs;
import io.flowrecon.adjoint.onnx.GraphBuilder;
import io.flowrecon.adjoint.onnx.Ops;
import io.flowrecon.adjoint.onnx.proto.ModelProto;
import io.flowrecon.shared.job.ImageShape;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Writes a Deep Decoder ({@link DeepDecoderArchitecture}) as an ONNX graph (opset 17, float32) whose input is the
 * weight vector: {@code weights} [B, N] -> {@code x} [B, C, H, W] in (0, 1), each of the B rows its own decoder
 * over the same fixed input B_0 (an initialiser). The weights being the graph's input is what lets the adjoint
 * builder differentiate with respect to them, and lets the objective engine treat them as a latent.
 *
 * <p>Per layer (Heckel and Hand 2019, eq. 1; the authors' {@code decodernw}): 1x1 convolution as a batched
 * MatMul [B, k, k] x [B, k, HW], bilinear Resize by two, ReLU, InstanceNormalization (with unit scale and zero
 * shift, so that it standardises each channel of each image) followed by the per-image scale and shift.
 */
public final class DeepDecoderGraphs {
    public static final String WEIGHTS = "weights";
    public static final String IMAGE = "x";

    private DeepDecoderGraphs() {
    }

    /** The decoder for a fixed batch (the fixed sizes of its Resize nodes name the batch). */
    public static ModelProto generator(DeepDecoderArchitecture arch, ImageShape image, int batch) {
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be at least 1, got " + batch);
        }
        int k = arch.channels(image);
        GraphBuilder g = new GraphBuilder("deep_decoder");
        Ops ops = new Ops(g);
        String weights = g.inputFloat(WEIGHTS, batch, arch.parameterCount(image));
        List<String> pieces = ops.split(weights, 1, arch.pieces(image));
        int h = arch.height(image, 0);
        int w = arch.width(image, 0);
        String x = g.initializer("fixed_input", fixedInput(arch, image), k, (long) h * w);
        for (int i = 0; i < arch.layers(); i++) {
            int nextH = i + 1 < arch.layers() ? arch.height(image, i + 1) : h;
            int nextW = i + 1 < arch.layers() ? arch.width(image, i + 1) : w;
            String conv = conv1x1(ops, pieces.get(3 * i), x, batch, k, k);
            String up = upsample(g, ops.reshape(conv, batch, k, h, w), batch, k, nextH, nextW);
            h = nextH;
            w = nextW;
            String normalised = normalise(g, ops, ops.relu(up), k);
            String scale = ops.reshape(pieces.get(3 * i + 1), batch, k, 1, 1);
            String shift = ops.reshape(pieces.get(3 * i + 2), batch, k, 1, 1);
            x = ops.reshape(ops.add(ops.mul(normalised, scale), shift), batch, k, (long) h * w);
        }
        String out = conv1x1(ops, pieces.get(3 * arch.layers()), x, batch, image.channels(), k);
        String image4d = ops.reshape(out, batch, image.channels(), image.height(), image.width());
        String result = g.node("Sigmoid", List.of(image4d), IMAGE);
        g.output(result);
        if (!result.equals(IMAGE)) {
            throw new IllegalStateException("decoder output named " + result + ", not " + IMAGE);
        }
        return g.build();
    }

    /** B_0 [k, h0 * w0]: uniform in [0, 0.1) from the architecture's input seed. */
    public static float[] fixedInput(DeepDecoderArchitecture arch, ImageShape image) {
        int size = arch.channels(image) * arch.height(image, 0) * arch.width(image, 0);
        SplittableRandom random = new SplittableRandom(arch.inputSeed());
        float[] values = new float[size];
        for (int i = 0; i < size; i++) {
            values[i] = (float) (random.nextDouble() * DeepDecoderArchitecture.INPUT_SCALE);
        }
        return values;
    }

    /** A 1x1 convolution of x [B or none, in, HW] by the per-image weights [B, out * in]: [B, out, HW]. */
    public static String conv1x1(Ops ops, String weights, String x, int batch, int out, int in) {
        return ops.matMul(ops.reshape(weights, batch, out, in), x);
    }

    /** Bilinear upsampling of [B, k, h, w] to [B, k, h', w'] (torch's align_corners=False, ONNX half_pixel). */
    public static String upsample(GraphBuilder g, String x, int batch, int k, int h, int w) {
        long[] from = g.shape(x).dims();
        if (from[2] == h && from[3] == w) {
            return x;
        }
        return g.node("Resize", List.of(x, "", "", g.constantInts("sizes", batch, k, h, w)), "upsampled",
                Attrs.s("mode", "linear"), Attrs.s("coordinate_transformation_mode", "half_pixel"));
    }

    /** Each channel of each image to zero mean and unit variance over its pixels. */
    private static String normalise(GraphBuilder g, Ops ops, String x, int k) {
        float[] ones = new float[k];
        Arrays.fill(ones, 1f);
        return g.node("InstanceNormalization", List.of(x, g.constantFloats("norm_scale", ones, k),
                g.constantFloats("norm_shift", new float[k], k)), "normalised",
                Attrs.f("epsilon", DeepDecoderArchitecture.NORM_EPSILON));
    }
}
