package io.flowrecon.adjoint.ops;

import io.flowrecon.adjoint.OperatorTable;
import io.flowrecon.adjoint.VjpContext;
import io.flowrecon.adjoint.onnx.Attrs;
import io.flowrecon.adjoint.onnx.Shape;
import io.flowrecon.adjoint.onnx.ShapeInference;
import io.flowrecon.adjoint.onnx.ShapeInference.Env;
import io.flowrecon.adjoint.onnx.ShapeInference.Result;
import io.flowrecon.adjoint.onnx.Tensors;
import io.flowrecon.adjoint.onnx.ValueType;
import io.flowrecon.adjoint.onnx.proto.NodeProto;
import io.flowrecon.adjoint.onnx.proto.TensorProto;
import java.util.List;
import java.util.Optional;

/**
 * Linear operators that copy or pick elements, where one input element may land in several outputs: Expand
 * and Tile (their adjoints sum the copies back), Gather with constant indices (a selection matrix along the
 * axis, transposed, so repeated indices add up), and DepthToSpace / SpaceToDepth (torch's pixel_shuffle), which
 * the spec defines as Reshape, Transpose, Reshape, so their adjoints run those backwards.
 */
final class CopyingOperators {
    private CopyingOperators() {
    }

    static void register(OperatorTable.Builder b) {
        b.define("Expand", (node, env) -> Result.of(in(node, env).withShape(ShapeInference.broadcast(node,
                in(node, env).shape(), Shape.of(ShapeInference.constLongs(node, env, 1, "shape"))))),
                c -> first(c, c.unbroadcastTo(c.dy(), 0)));
        b.define("Tile", CopyingOperators::tileShape, CopyingOperators::tile);
        b.define("Gather", CopyingOperators::gatherShape, CopyingOperators::gather);
        b.define("DepthToSpace", (node, env) -> rearrangeShape(node, env, depthToSpace(node, in(node, env).shape())),
                c -> rearrangeBack(c, depthToSpace(c.node(), c.shape(c.in(0)))));
        b.define("SpaceToDepth", (node, env) -> rearrangeShape(node, env, spaceToDepth(node, in(node, env).shape())),
                c -> rearrangeBack(c, spaceToDepth(c.node(), c.shape(c.in(0)))));
    }

    private static ValueType in(NodeProto node, Env env) {
        return ShapeInference.in(node, env, 0);
    }

    private static List<String> first(VjpContext c, String dx) {
        List<String> g = c.noGrads();
        g.set(0, dx);
        return g;
    }

    // ---- Tile: y[i] = x[i mod d] per axis ----

    private static Result tileShape(NodeProto node, Env env) {
        Shape s = in(node, env).shape();
        long[] repeats = ShapeInference.constLongs(node, env, 1, "repeats");
        if (repeats.length != s.rank()) {
            throw new IllegalArgumentException(Attrs.describe(node) + ": repeats must have one entry per axis");
        }
        long[] out = s.dims();
        for (int i = 0; i < out.length; i++) {
            out[i] *= repeats[i];
        }
        return Result.of(in(node, env).withShape(Shape.of(out)));
    }

    /** dY seen as [r0, d0, r1, d1, ...] (the copy index outermost on each axis), summed over the copies. */
    private static List<String> tile(VjpContext c) {
        c.refuseIfNeeded(1, "repeats are integers");
        long[] repeats = c.constInput(1, "repeats");
        long[] d = c.shape(c.in(0)).dims();
        long[] split = new long[2 * d.length];
        long[] copies = new long[d.length];
        for (int i = 0; i < d.length; i++) {
            split[2 * i] = repeats[i];
            split[2 * i + 1] = d[i];
            copies[i] = 2L * i;
        }
        String summed = c.ops().reduceSum(c.ops().reshape(c.dy(), split), false, copies);
        return first(c, c.ops().reshape(summed, d));
    }

    // ---- Gather ----

    private static Result gatherShape(NodeProto node, Env env) {
        ValueType data = in(node, env);
        Shape idx = ShapeInference.in(node, env, 1).shape();
        int axis = data.shape().axis(Attrs.getInt(node, "axis", 0), Attrs.describe(node));
        long[] d = data.shape().dims();
        long[] out = new long[d.length - 1 + idx.rank()];
        int k = 0;
        for (int i = 0; i < axis; i++) {
            out[k++] = d[i];
        }
        for (long v : idx.dims()) {
            out[k++] = v;
        }
        for (int i = axis + 1; i < d.length; i++) {
            out[k++] = d[i];
        }
        ValueType type = data.withShape(Shape.of(out));
        // Fold integer gathers on constants: exported priors compute reshape targets this way.
        Optional<TensorProto> cd = env.constant(node.getInput(0));
        Optional<TensorProto> ci = env.constant(node.getInput(1));
        if (cd.isPresent() && ci.isPresent() && data.elemType() == TensorProto.DataType.INT64
                && data.shape().rank() == 1) {
            long[] values = Tensors.toLongs(cd.get());
            long[] indices = Tensors.toLongs(ci.get());
            long[] picked = new long[indices.length];
            for (int i = 0; i < indices.length; i++) {
                picked[i] = values[(int) (indices[i] < 0 ? indices[i] + values.length : indices[i])];
            }
            return new Result(List.of(type), List.of(Tensors.int64s("", picked, out)));
        }
        return Result.of(type);
    }

    private static List<String> gather(VjpContext c) {
        c.refuseIfNeeded(1, "indices are integers");
        Shape x = c.shape(c.in(0));
        int axis = x.axis(c.intAttr("axis", 0), "Gather");
        long[] indices = c.constInput(1, "indices");
        long[] d = x.dims();
        long[] picked = d.clone();
        picked[axis] = indices.length;
        int in = (int) d[axis];
        float[] select = new float[indices.length * in];
        for (int k = 0; k < indices.length; k++) {
            long i = indices[k] < 0 ? indices[k] + in : indices[k];
            if (i < 0 || i >= in) {
                throw c.refuse("index " + indices[k] + " is out of range for an axis of size " + in);
            }
            select[k * in + (int) i] += 1f;
        }
        String dy = c.ops().reshape(c.dy(), picked);
        return first(c, AxisMatrices.transposeAlong(c, dy, axis, select, indices.length, in, "gather_adjoint"));
    }

    // ---- DepthToSpace, SpaceToDepth: Reshape to `split`, Transpose by `perm`, Reshape to `out` ----

    private record Rearrangement(long[] split, long[] perm, long[] out) {
    }

    private static Rearrangement depthToSpace(NodeProto node, Shape x) {
        long b = blockSize(node, x);
        long n = x.dim(0);
        long c = x.dim(1) / (b * b);
        long h = x.dim(2);
        long w = x.dim(3);
        if (c * b * b != x.dim(1)) {
            throw new IllegalArgumentException(Attrs.describe(node) + ": " + x.dim(1) + " channels do not divide by "
                    + "blocksize^2 = " + b * b);
        }
        long[] out = {n, c, h * b, w * b};
        String mode = Attrs.getString(node, "mode", "DCR");
        return switch (mode) {
            case "DCR" -> new Rearrangement(new long[] {n, b, b, c, h, w}, new long[] {0, 3, 4, 1, 5, 2}, out);
            case "CRD" -> new Rearrangement(new long[] {n, c, b, b, h, w}, new long[] {0, 1, 4, 2, 5, 3}, out);
            default -> throw new IllegalArgumentException(Attrs.describe(node) + ": mode '" + mode
                    + "' is not DCR or CRD");
        };
    }

    private static Rearrangement spaceToDepth(NodeProto node, Shape x) {
        long b = blockSize(node, x);
        long n = x.dim(0);
        long c = x.dim(1);
        long h = x.dim(2) / b;
        long w = x.dim(3) / b;
        if (h * b != x.dim(2) || w * b != x.dim(3)) {
            throw new IllegalArgumentException(Attrs.describe(node) + ": spatial size " + x + " does not divide by "
                    + "blocksize " + b);
        }
        return new Rearrangement(new long[] {n, c, h, b, w, b}, new long[] {0, 3, 5, 1, 2, 4},
                new long[] {n, c * b * b, h, w});
    }

    private static long blockSize(NodeProto node, Shape x) {
        long b = Attrs.getInt(node, "blocksize", 0);
        if (b < 1 || x.rank() != 4) {
            throw new IllegalArgumentException(Attrs.describe(node) + ": needs blocksize >= 1 and a 4-D input, got "
                    + b + " and " + x);
        }
        return b;
    }

    private static Result rearrangeShape(NodeProto node, Env env, Rearrangement r) {
        return Result.of(in(node, env).withShape(Shape.of(r.out())));
    }

    private static List<String> rearrangeBack(VjpContext c, Rearrangement r) {
        long[] permuted = new long[r.perm().length];
        long[] inverse = new long[r.perm().length];
        for (int i = 0; i < permuted.length; i++) {
            permuted[i] = r.split()[(int) r.perm()[i]];
            inverse[(int) r.perm()[i]] = i;
        }
        String t = c.ops().transpose(c.ops().reshape(c.dy(), permuted), inverse);
        return first(c, c.ops().reshape(t, c.shape(c.in(0)).dims()));
    }
}
