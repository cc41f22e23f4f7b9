package io.flowrecon.adjoint;

import io.flowrecon.adjoint.onnx.Shape;
import io.flowrecon.adjoint.onnx.ShapeInference;
import java.util.List;
import java.util.Map;

/**
 * Reductions: the adjoint of a sum broadcasts dY back over the reduced axes (Reshape to keepdims form, then
 * Expand); the mean scales it by 1/count; the sum of squares multiplies by 2x.
 */
final class ReductionRules {
    private ReductionRules() {
    }

    static void register(Map<String, VjpRule> m) {
        m.put("ReduceSum", c -> first(c, spread(c, ShapeInference.optionalConstLongs(c.node(), c.graph(), 1,
                "axes"), c.intAttr("noop_with_empty_axes", 0) != 0)));
        m.put("ReduceMean", c -> {
            Shape x = c.shape(c.in(0));
            long count = x.size() / Math.max(1, c.shape(c.out(0)).size());
            String spread = spread(c, c.intsAttr("axes"), false);
            return first(c, c.ops().scale(spread, 1.0 / count));
        });
        m.put("ReduceSumSquare", c -> {
            String spread = spread(c, c.intsAttr("axes"), false);
            return first(c, c.ops().mul(c.ops().scale(spread, 2.0), c.in(0)));
        });
    }

    private static List<String> first(VjpContext c, String dx) {
        List<String> g = c.noGrads();
        g.set(0, dx);
        return g;
    }

    /** dY broadcast back to the input's shape. */
    private static String spread(VjpContext c, long[] axes, boolean noopWithEmptyAxes) {
        Shape x = c.shape(c.in(0));
        int[] reduced = ShapeInference.reducedAxes(c.node(), x, axes, noopWithEmptyAxes);
        long[] keep = x.dims();
        for (int a : reduced) {
            keep[a] = 1;
        }
        String dy = c.ops().reshape(c.dy(), keep);
        return c.ops().expand(dy, x);
    }
}
