package io.flowrecon.adjoint.ops;

import io.flowrecon.adjoint.OperatorTable;
import io.flowrecon.adjoint.VjpContext;
import io.flowrecon.adjoint.onnx.Attrs;
import io.flowrecon.adjoint.onnx.Shape;
import io.flowrecon.adjoint.onnx.ShapeInference;
import io.flowrecon.adjoint.onnx.ShapeInference.Result;
import io.flowrecon.adjoint.onnx.ShapeRule;
import io.flowrecon.adjoint.onnx.ValueType;
import io.flowrecon.adjoint.onnx.proto.NodeProto;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reductions (opset 17: ReduceSum takes its axes as an input, the others as an attribute). The adjoint of a
 * sum broadcasts dY back over the reduced axes (Reshape to keepdims form, then Expand); the mean scales it by
 * 1/count; the sum of squares multiplies by 2x; the norms and log-sum-exp by their derivatives. Max, Min and
 * Prod are shape-inferred only.
 */
final class ReductionOperators {
    /** The reductions whose axes are an attribute in opset 17. */
    private static final ShapeRule AXES_ATTRIBUTE = (node, env) -> Result.of(reduce(node,
            ShapeInference.in(node, env, 0), Attrs.getInts(node, "axes"), false));

    private ReductionOperators() {
    }

    static void register(OperatorTable.Builder b) {
        b.define("ReduceSum", (node, env) -> Result.of(reduce(node, ShapeInference.in(node, env, 0),
                ShapeInference.optionalConstLongs(node, env, 1, "axes"),
                Attrs.getInt(node, "noop_with_empty_axes", 0) != 0)),
                c -> first(c, spread(c, c.optionalConstInput(1, "axes"),
                        c.intAttr("noop_with_empty_axes", 0) != 0)));
        b.define("ReduceMean", AXES_ATTRIBUTE, c -> {
            Shape x = c.shape(c.in(0));
            long count = x.size() / Math.max(1, c.shape(c.out(0)).size());
            String spread = spread(c, c.intsAttr("axes"), false);
            return first(c, c.ops().scale(spread, 1.0 / count));
        });
        b.define("ReduceSumSquare", AXES_ATTRIBUTE, c -> {
            String spread = spread(c, c.intsAttr("axes"), false);
            return first(c, c.ops().mul(c.ops().scale(spread, 2.0), c.in(0)));
        });
        // |x|_2' = x / |x|_2 (F.normalize writes it); |x|_1' = sign(x); logsumexp' = softmax = exp(x - y)
        b.define("ReduceL2", AXES_ATTRIBUTE, c -> first(c, c.ops().mul(spread(c, c.intsAttr("axes"), false),
                c.ops().div(c.in(0), keptOutput(c)))));
        b.define("ReduceL1", AXES_ATTRIBUTE, c -> first(c, c.ops().mul(spread(c, c.intsAttr("axes"), false),
                c.emit("Sign", List.of(c.in(0))))));
        b.define("ReduceLogSumExp", AXES_ATTRIBUTE, c -> first(c, c.ops().mul(spread(c, c.intsAttr("axes"), false),
                c.ops().exp(c.ops().sub(c.in(0), keptOutput(c))))));
        for (String op : List.of("ReduceMax", "ReduceMin", "ReduceProd")) {
            b.shapeOnly(op, AXES_ATTRIBUTE);
        }
    }

    /** Reduced axes of a reduction node (null axes = all, unless noop), sorted. */
    private static int[] reducedAxes(NodeProto node, Shape s, long[] axes, boolean noopWithEmptyAxes) {
        if (axes == null || axes.length == 0) {
            if (noopWithEmptyAxes) {
                return new int[0];
            }
            int[] all = new int[s.rank()];
            for (int i = 0; i < all.length; i++) {
                all[i] = i;
            }
            return all;
        }
        int[] out = new int[axes.length];
        for (int i = 0; i < axes.length; i++) {
            out[i] = s.axis(axes[i], Attrs.describe(node));
        }
        Arrays.sort(out);
        return out;
    }

    private static ValueType reduce(NodeProto node, ValueType x, long[] axes, boolean noop) {
        Shape s = x.shape();
        int[] reduced = reducedAxes(node, s, axes, noop);
        boolean keep = Attrs.getInt(node, "keepdims", 1) != 0;
        List<Long> dims = new ArrayList<>();
        for (int i = 0; i < s.rank(); i++) {
            boolean r = Arrays.binarySearch(reduced, i) >= 0;
            if (!r) {
                dims.add(s.dim(i));
            } else if (keep) {
                dims.add(1L);
            }
        }
        return x.withShape(Shape.of(dims.stream().mapToLong(Long::longValue).toArray()));
    }

    private static List<String> first(VjpContext c, String dx) {
        List<String> g = c.noGrads();
        g.set(0, dx);
        return g;
    }

    /** The output in keepdims form, broadcasting against the input. */
    private static String keptOutput(VjpContext c) {
        Shape x = c.shape(c.in(0));
        long[] keep = x.dims();
        for (int a : reducedAxes(c.node(), x, c.intsAttr("axes"), false)) {
            keep[a] = 1;
        }
        return c.ops().reshape(c.out(0), keep);
    }

    /** dY broadcast back to the input's shape. */
    private static String spread(VjpContext c, long[] axes, boolean noopWithEmptyAxes) {
        Shape x = c.shape(c.in(0));
        int[] reduced = reducedAxes(c.node(), x, axes, noopWithEmptyAxes);
        long[] keep = x.dims();
        for (int a : reduced) {
            keep[a] = 1;
        }
        String dy = c.ops().reshape(c.dy(), keep);
        return c.ops().expand(dy, x);
    }
}
