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
 * input's shape; Softmax and LogSoftmax are shape-inferred only.
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
        b.shapeOnly("Softmax", ShapeInference::sameAsFirst);
        b.shapeOnly("LogSoftmax", ShapeInference::sameAsFirst);
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
