package io.flowrecon.shared.prior;

import io.flowrecon.adjoint.onnx.Attrs;
import io.flowrecon.adjoint.onnx.GraphBuilder;
import io.flowrecon.adjoint.onnx.Ops;
import io.flowrecon.adjoint.onnx.Shape;
import io.flowrecon.shared.prior.GlowArchitecture.LevelShape;
import io.flowrecon.shared.prior.GlowWeights.ActNorm;
import io.flowrecon.shared.prior.GlowWeights.Coupling;
import io.flowrecon.shared.prior.GlowWeights.FlowStep;
import io.flowrecon.shared.prior.GlowWeights.SplitPrior;
import java.util.List;

/** The ONNX form of Glow's layers, each in its forward (encoder) and reverse (generator) direction. */
final class FlowLayers {
    private final GraphBuilder g;
    private final Ops ops;

    FlowLayers(GraphBuilder g) {
        this.g = g;
        this.ops = new Ops(g);
    }

    Ops ops() {
        return ops;
    }

    /** A step's output and its data-dependent log-determinant [B] (the coupling's sum log s). */
    record Forward(String value, String logdetTerm) {
    }

    /** actnorm -> 1x1 conv W -> coupling. */
    Forward forwardStep(String h, FlowStep step, LevelShape shape, String prefix) {
        ActNorm an = step.actNorm();
        h = ops.mul(ops.add(h, channelParam(prefix + ".actnorm.bias", an.bias())),
                channelParam(prefix + ".actnorm.scale", GlowGraphs.exp(an.logScale(), 1)));
        h = conv1x1(h, step.invConv().weight(), shape.channels(), prefix + ".invconv.w");
        int half = shape.channels() / 2;
        List<String> ab = ops.split(h, 1, half, half);
        String[] ts = shiftAndScale(ab.get(0), step.coupling(), half, prefix + ".coupling");
        String yb = ops.mul(ops.add(ab.get(1), ts[0]), ts[1]);
        return new Forward(ops.concat(1, ab.get(0), yb), sumPerImage(ops.log(ts[1])));
    }

    /** coupling^-1 -> 1x1 conv W^-1 -> actnorm^-1. */
    String reverseStep(String h, FlowStep step, LevelShape shape, String prefix) {
        int half = shape.channels() / 2;
        List<String> ab = ops.split(h, 1, half, half);
        String[] ts = shiftAndScale(ab.get(0), step.coupling(), half, prefix + ".coupling");
        String xb = ops.sub(ops.div(ab.get(1), ts[1]), ts[0]);
        h = ops.concat(1, ab.get(0), xb);
        h = conv1x1(h, step.invConv().inverse(), shape.channels(), prefix + ".invconv.winv");
        ActNorm an = step.actNorm();
        return ops.sub(ops.mul(h, channelParam(prefix + ".actnorm.invscale", GlowGraphs.exp(an.logScale(), -1))),
                channelParam(prefix + ".actnorm.bias", an.bias()));
    }

    /** (t, s): t the shift, s = sigmoid(h + 2) the scale of the affine coupling, from x_a. */
    private String[] shiftAndScale(String xa, Coupling c, int half, String prefix) {
        String hidden = ops.relu(conv(xa, c.input(), prefix + ".in"));
        hidden = ops.relu(conv(hidden, c.hidden(), prefix + ".hidden"));
        List<String> th = ops.split(conv(hidden, c.output(), prefix + ".out"), 1, half, half);
        // +2 makes s start near sigmoid(2) = 0.88 (Glow's code), a mild contraction
        String s = ops.sigmoid(ops.add(th.get(1), ops.scalarLike(th.get(1), 2.0)));
        return new String[] {th.get(0), s};
    }

    /** (mean, logStd) of a split-off half, from the kept half. */
    String[] splitPriorParams(String kept, SplitPrior prior, String prefix) {
        int latentChannels = prior.conv().outChannels() / 2;
        List<String> ms = ops.split(conv(kept, prior.conv(), prefix + ".prior"), 1, latentChannels, latentChannels);
        return new String[] {ms.get(0), ms.get(1)};
    }

    /** 2x2 space-to-depth: [B, c, h, w] -> [B, 4c, h/2, w/2], output channel c*4 + dy*2 + dx. */
    String squeeze(String x) {
        Shape s = g.shape(x);
        long c = s.dim(1);
        long h = s.dim(2);
        long w = s.dim(3);
        String r = ops.reshape(x, -1, c, h / 2, 2, w / 2, 2);
        return ops.reshape(ops.transpose(r, 0, 1, 3, 5, 2, 4), -1, 4 * c, h / 2, w / 2);
    }

    /** The inverse of {@link #squeeze}: [B, 4c, h, w] -> [B, c, 2h, 2w]. */
    String unsqueeze(String x) {
        Shape s = g.shape(x);
        long c = s.dim(1) / 4;
        long h = s.dim(2);
        long w = s.dim(3);
        String r = ops.reshape(x, -1, c, 2, 2, h, w);
        return ops.reshape(ops.transpose(r, 0, 1, 4, 2, 5, 3), -1, c, 2 * h, 2 * w);
    }

    /** Sum over C, H, W: [B, c, h, w] -> [B]. */
    String sumPerImage(String x) {
        return ops.reduceSum(x, false, 1, 2, 3);
    }

    /** A per-channel parameter as a [1, c, 1, 1] initialiser, broadcast over batch and pixels. */
    String channelParam(String name, float[] values) {
        return g.initializer(name, values.clone(), 1, values.length, 1, 1);
    }

    private String conv(String x, Conv2d c, String name) {
        long p = c.kernel() / 2;
        return ops.conv(x, g.initializer(name + ".w", c.weight().clone(), c.weightDims()),
                g.initializer(name + ".b", c.bias().clone(), c.outChannels()),
                new long[] {1, 1}, new long[] {p, p, p, p}, new long[] {1, 1}, 1);
    }

    private String conv1x1(String x, double[] matrix, int channels, String name) {
        float[] w = new float[matrix.length];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) matrix[i];
        }
        return g.node("Conv", List.of(x, g.initializer(name, w, channels, channels, 1, 1)), "conv",
                Attrs.ints("kernel_shape", 1, 1));
    }
}
