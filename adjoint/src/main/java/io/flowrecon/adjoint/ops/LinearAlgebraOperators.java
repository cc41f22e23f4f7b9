package io.flowrecon.adjoint.ops;

import io.flowrecon.adjoint.OperatorTable;
import io.flowrecon.adjoint.VjpContext;
import io.flowrecon.adjoint.onnx.Attrs;
import io.flowrecon.adjoint.onnx.Shape;
import io.flowrecon.adjoint.onnx.ShapeInference;
import io.flowrecon.adjoint.onnx.ShapeInference.Env;
import io.flowrecon.adjoint.onnx.ShapeInference.Result;
import io.flowrecon.adjoint.onnx.proto.NodeProto;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** MatMul and Gemm: linear in each operand, differentiated by their transposes (dA = dY B^T, dB = A^T dY). */
final class LinearAlgebraOperators {
    private LinearAlgebraOperators() {
    }

    static void register(OperatorTable.Builder b) {
        b.define("MatMul", (node, env) -> Result.of(ShapeInference.in(node, env, 0).withShape(matMulShape(node,
                ShapeInference.in(node, env, 0).shape(), ShapeInference.in(node, env, 1).shape()))),
                LinearAlgebraOperators::matMul);
        b.define("Gemm", LinearAlgebraOperators::gemmShape, LinearAlgebraOperators::gemm);
    }

    /** Output shape of numpy-style MatMul (rank-1 operands promoted and their axis dropped). */
    static Shape matMulShape(NodeProto node, Shape a, Shape b) {
        if (a.rank() == 0 || b.rank() == 0) {
            throw new IllegalArgumentException(Attrs.describe(node) + ": MatMul inputs must not be scalars");
        }
        Shape a2 = a.rank() == 1 ? Shape.of(1, a.dim(0)) : a;
        Shape b2 = b.rank() == 1 ? Shape.of(b.dim(0), 1) : b;
        if (a2.dim(-1) != b2.dim(-2)) {
            throw new IllegalArgumentException(Attrs.describe(node) + ": inner dimensions of " + a + " and " + b
                    + " differ");
        }
        Shape batch = ShapeInference.broadcast(node, Shape.of(Arrays.copyOf(a2.dims(), a2.rank() - 2)),
                Shape.of(Arrays.copyOf(b2.dims(), b2.rank() - 2)));
        List<Long> dims = new ArrayList<>();
        for (long d : batch.dims()) {
            dims.add(d);
        }
        if (a.rank() > 1) {
            dims.add(a2.dim(-2));
        }
        if (b.rank() > 1) {
            dims.add(b2.dim(-1));
        }
        return Shape.of(dims.stream().mapToLong(Long::longValue).toArray());
    }

    private static Result gemmShape(NodeProto node, Env env) {
        Shape a = ShapeInference.in(node, env, 0).shape();
        Shape b = ShapeInference.in(node, env, 1).shape();
        if (a.rank() != 2 || b.rank() != 2) {
            throw new IllegalArgumentException(Attrs.describe(node) + ": Gemm needs 2-D A and B, got " + a + ", "
                    + b);
        }
        boolean ta = Attrs.getInt(node, "transA", 0) != 0;
        boolean tb = Attrs.getInt(node, "transB", 0) != 0;
        long m = ta ? a.dim(1) : a.dim(0);
        long ka = ta ? a.dim(0) : a.dim(1);
        long kb = tb ? b.dim(1) : b.dim(0);
        long n = tb ? b.dim(0) : b.dim(1);
        if (ka != kb) {
            throw new IllegalArgumentException(Attrs.describe(node) + ": inner dimensions " + ka + " and " + kb
                    + " differ");
        }
        return Result.of(ShapeInference.in(node, env, 0).withShape(Shape.of(m, n)));
    }

    private static List<String> matMul(VjpContext c) {
        String a = c.in(0);
        String b = c.in(1);
        Shape sa = c.shape(a);
        Shape sb = c.shape(b);
        // numpy promotion of 1-D operands: [k] -> [1, k] on the left, [k] -> [k, 1] on the right.
        String a2 = sa.rank() == 1 ? c.ops().reshape(a, 1, sa.dim(0)) : a;
        String b2 = sb.rank() == 1 ? c.ops().reshape(b, sb.dim(0), 1) : b;
        Shape sy2 = matMulShape(c.node(), c.shape(a2), c.shape(b2));
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
