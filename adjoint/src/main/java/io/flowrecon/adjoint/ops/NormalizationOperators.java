package io.flowrecon.adjoint.ops;

import io.flowrecon.adjoint.OperatorTable;
import io.flowrecon.adjoint.VjpContext;
import io.flowrecon.adjoint.onnx.Attrs;
import io.flowrecon.adjoint.onnx.Shape;
import io.flowrecon.adjoint.onnx.ShapeInference;
import java.util.Arrays;
import java.util.List;

/**
 * BatchNormalization in inference mode (an affine map per channel, running statistics fixed) and
 * InstanceNormalization (statistics over each image's spatial axes, so its adjoint has the usual centring
 * terms: dX = (g - mean(g) - xhat mean(g xhat)) / sigma with g = dY scale; Ulyanov et al. 2016). Each keeps its
 * input's shape. LayerNormalization (opset 17; Ba et al. 2016) is the same over the trailing axes from
 * {@code axis}. Softmax and LogSoftmax (opset 13: along one axis): dX = y (dY - sum(dY y)) and
 * dX = dY - softmax sum(dY).
 */
final class NormalizationOperators {
    private NormalizationOperators() {
    }

    static void register(OperatorTable.Builder b) {
        b.define("BatchNormalization", (node, env) -> {
            if (node.getOutputCount() > 1 && Attrs.getInt(node, "training_mode", 0) != 0) {
                throw ShapeInference.unsupported(node, "training_mode=1 is not supported (inference only)");
            }
            return ShapeInference.sameAsFirst(node, env);
        }, NormalizationOperators::batchNorm);
        b.define("InstanceNormalization", ShapeInference::sameAsFirst, NormalizationOperators::instanceNorm);
        b.define("LayerNormalization", NormalizationOperators::layerNormShape, NormalizationOperators::layerNorm);
        b.define("Softmax", ShapeInference::sameAsFirst, NormalizationOperators::softmax);
        b.define("LogSoftmax", ShapeInference::sameAsFirst, NormalizationOperators::logSoftmax);
    }

    private static List<String> batchNorm(VjpContext c) {
        if (c.intAttr("training_mode", 0) != 0) {
            throw c.refuse("training_mode=1 is not supported (inference only)");
        }
        c.refuseIfNeeded(3, "running mean is a fixed statistic");
        c.refuseIfNeeded(4, "running variance is a fixed statistic");
        String x = c.in(0);
        long[] perChannel = perChannelShape(c.shape(x));
        String inv = c.emit("Reciprocal", List.of(c.ops().sqrt(c.ops().add(c.in(4),
                c.scalar(c.in(4), c.floatAttr("epsilon", 1e-5f))))));
        List<String> g = c.noGrads();
        if (c.needsGrad(0)) {
            g.set(0, c.ops().mul(c.dy(), c.ops().reshape(c.ops().mul(c.in(1), inv), perChannel)));
        }
        if (c.needsGrad(1)) {
            String xhat = c.ops().mul(c.ops().sub(x, c.ops().reshape(c.in(3), perChannel)),
                    c.ops().reshape(inv, perChannel));
            g.set(1, sumAllButChannels(c, c.ops().mul(c.dy(), xhat)));
        }
        if (c.needsGrad(2)) {
            g.set(2, sumAllButChannels(c, c.dy()));
        }
        return g;
    }

    private static List<String> instanceNorm(VjpContext c) {
        String x = c.in(0);
        Shape s = c.shape(x);
        long[] spatial = new long[s.rank() - 2];
        for (int i = 0; i < spatial.length; i++) {
            spatial[i] = i + 2;
        }
        String centred = c.ops().sub(x, c.ops().reduceMean(x, true, spatial));
        String variance = c.ops().reduceMean(c.ops().mul(centred, centred), true, spatial);
        String inv = c.emit("Reciprocal", List.of(c.ops().sqrt(c.ops().add(variance,
                c.scalar(x, c.floatAttr("epsilon", 1e-5f))))));
        String xhat = c.ops().mul(centred, inv);
        List<String> g = c.noGrads();
        if (c.needsGrad(0)) {
            String gx = c.ops().mul(c.dy(), c.ops().reshape(c.in(1), perChannelShape(s)));
            String meanG = c.ops().reduceMean(gx, true, spatial);
            String meanGx = c.ops().reduceMean(c.ops().mul(gx, xhat), true, spatial);
            g.set(0, c.ops().mul(inv, c.ops().sub(c.ops().sub(gx, meanG), c.ops().mul(xhat, meanGx))));
        }
        if (c.needsGrad(1)) {
            g.set(1, sumAllButChannels(c, c.ops().mul(c.dy(), xhat)));
        }
        if (c.needsGrad(2)) {
            g.set(2, sumAllButChannels(c, c.dy()));
        }
        return g;
    }

    private static ShapeInference.Result layerNormShape(io.flowrecon.adjoint.onnx.proto.NodeProto node,
                                                         ShapeInference.Env env) {
        for (int i = 1; i < node.getOutputCount(); i++) {
            if (!node.getOutput(i).isEmpty()) {
                throw ShapeInference.unsupported(node, "the Mean and InvStdDev outputs are not supported");
            }
        }
        return ShapeInference.Result.of(ShapeInference.in(node, env, 0));
    }

    private static List<String> layerNorm(VjpContext c) {
        String x = c.in(0);
        Shape s = c.shape(x);
        int axis = s.axis(c.intAttr("axis", -1), "LayerNormalization");
        long[] normalised = new long[s.rank() - axis];
        for (int i = 0; i < normalised.length; i++) {
            normalised[i] = axis + i;
        }
        String centred = c.ops().sub(x, c.ops().reduceMean(x, true, normalised));
        String variance = c.ops().reduceMean(c.ops().mul(centred, centred), true, normalised);
        String inv = c.emit("Reciprocal", List.of(c.ops().sqrt(c.ops().add(variance,
                c.scalar(x, c.floatAttr("epsilon", 1e-5f))))));
        String xhat = c.ops().mul(centred, inv);
        List<String> g = c.noGrads();
        if (c.needsGrad(0)) {
            String gx = c.ops().mul(c.dy(), c.in(1));
            String meanG = c.ops().reduceMean(gx, true, normalised);
            String meanGx = c.ops().reduceMean(c.ops().mul(gx, xhat), true, normalised);
            g.set(0, c.ops().mul(inv, c.ops().sub(c.ops().sub(gx, meanG), c.ops().mul(xhat, meanGx))));
        }
        if (c.needsGrad(1)) {
            g.set(1, c.unbroadcastTo(c.ops().mul(c.dy(), xhat), 1));
        }
        if (c.inputCount() > 2 && c.needsGrad(2)) {
            g.set(2, c.unbroadcastTo(c.dy(), 2));
        }
        return g;
    }

    private static List<String> softmax(VjpContext c) {
        int axis = c.shape(c.in(0)).axis(c.intAttr("axis", -1), "Softmax");
        String y = c.out(0);
        String dot = c.ops().reduceSum(c.ops().mul(c.dy(), y), true, axis);
        List<String> g = c.noGrads();
        g.set(0, c.ops().mul(y, c.ops().sub(c.dy(), dot)));
        return g;
    }

    private static List<String> logSoftmax(VjpContext c) {
        int axis = c.shape(c.in(0)).axis(c.intAttr("axis", -1), "LogSoftmax");
        String total = c.ops().reduceSum(c.dy(), true, axis);
        List<String> g = c.noGrads();
        g.set(0, c.ops().sub(c.dy(), c.ops().mul(c.ops().exp(c.out(0)), total)));
        return g;
    }

    /** [C, 1, ..., 1]: broadcasts a per-channel vector against [N, C, ...]. */
    private static long[] perChannelShape(Shape x) {
        long[] d = new long[x.rank() - 1];
        Arrays.fill(d, 1);
        d[0] = x.dim(1);
        return d;
    }

    private static String sumAllButChannels(VjpContext c, String v) {
        int rank = c.shape(v).rank();
        long[] axes = new long[rank - 1];
        for (int i = 0, k = 0; i < rank; i++) {
            if (i != 1) {
                axes[k++] = i;
            }
        }
        return c.emit("ReduceSum", List.of(v, c.graph().constantInts("axes", axes)), Attrs.i("keepdims", 0));
    }
}
