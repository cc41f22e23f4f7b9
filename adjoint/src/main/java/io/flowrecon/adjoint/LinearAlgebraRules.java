package io.flowrecon.adjoint;

import io.flowrecon.adjoint.onnx.Attrs;
import io.flowrecon.adjoint.onnx.Shape;
import io.flowrecon.adjoint.onnx.ShapeInference;
import java.util.List;
import java.util.Map;

/** MatMul and Gemm, differentiated by their transposes (dA = dY B^T, dB = A^T dY). */
final class LinearAlgebraRules {
    private LinearAlgebraRules() {
    }

    static void register(Map<String, VjpRule> m) {
        m.put("MatMul", LinearAlgebraRules::matMul);
        m.put("Gemm", LinearAlgebraRules::gemm);
    }

    private static List<String> matMul(VjpContext c) {
        String a = c.in(0);
        String b = c.in(1);
        Shape sa = c.shape(a);
        Shape sb = c.shape(b);
        // numpy promotion of 1-D operands: [k] -> [1, k] on the left, [k] -> [k, 1] on the right.
        String a2 = sa.rank() == 1 ? c.ops().reshape(a, 1, sa.dim(0)) : a;
        String b2 = sb.rank() == 1 ? c.ops().reshape(b, sb.dim(0), 1) : b;
        Shape sy2 = ShapeInference.matMul(c.node(), c.shape(a2), c.shape(b2));
        String dy = c.ops().reshape(c.dy(), sy2.dims());
        List<String> g = c.noGrads();
        if (c.needsGrad(0)) {
            String da = c.ops().matMul(dy, transposeLast2(c, b2));
            g.set(0, c.ops().reshape(c.ops().unbroadcast(da, c.shape(a2)), sa.dims()));
        }
        if (c.needsGrad(1)) {
            String db = c.ops().matMul(transposeLast2(c, a2), dy);
            g.set(1, c.ops().reshape(c.ops().unbroadcast(db, c.shape(b2)), sb.dims()));
        }
        return g;
    }

    private static String transposeLast2(VjpContext c, String x) {
        int r = c.shape(x).rank();
        long[] perm = new long[r];
        for (int i = 0; i < r; i++) {
            perm[i] = i;
        }
        perm[r - 2] = r - 1;
        perm[r - 1] = r - 2;
        return c.ops().transpose(x, perm);
    }

    /**
     * Y = alpha op(A) op(B) + beta C. With op(A) = A (transA=0): dA = alpha dY op(B)^T, else dA = alpha op(B) dY^T;
     * likewise for B; each is one Gemm whose trans flags absorb the transposes.
     */
    private static List<String> gemm(VjpContext c) {
        float alpha = c.floatAttr("alpha", 1f);
        float beta = c.floatAttr("beta", 1f);
        boolean ta = c.intAttr("transA", 0) != 0;
        boolean tb = c.intAttr("transB", 0) != 0;
        String a = c.in(0);
        String b = c.in(1);
        String dy = c.dy();
        List<String> g = c.noGrads();
        if (c.needsGrad(0)) {
            g.set(0, ta ? gemm(c, b, dy, alpha, tb, true) : gemm(c, dy, b, alpha, false, !tb));
        }
        if (c.needsGrad(1)) {
            g.set(1, tb ? gemm(c, dy, a, alpha, true, ta) : gemm(c, a, dy, alpha, !ta, false));
        }
        if (c.inputCount() > 2 && !c.in(2).isEmpty() && c.needsGrad(2)) {
            g.set(2, c.unbroadcastTo(beta == 1f ? dy : c.ops().scale(dy, beta), 2));
        }
        return g;
    }

    private static String gemm(VjpContext c, String x, String y, float alpha, boolean tx, boolean ty) {
        return c.emit("Gemm", List.of(x, y), Attrs.f("alpha", alpha), Attrs.i("transA", tx ? 1 : 0),
                Attrs.i("transB", ty ? 1 : 0));
    }
}
