package io.flowrecon.adjoint.ops;

import io.flowrecon.adjoint.OperatorTable;
import io.flowrecon.adjoint.VjpContext;
import io.flowrecon.adjoint.VjpRule;
import io.flowrecon.adjoint.onnx.Attrs;
import io.flowrecon.adjoint.onnx.Shape;
import io.flowrecon.adjoint.onnx.ShapeInference;
import io.flowrecon.adjoint.onnx.ShapeInference.Env;
import io.flowrecon.adjoint.onnx.ShapeInference.Result;
import io.flowrecon.adjoint.onnx.Tensors;
import io.flowrecon.adjoint.onnx.ValueType;
import io.flowrecon.adjoint.onnx.proto.NodeProto;
import io.flowrecon.adjoint.onnx.proto.TensorProto;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Operators that only move elements. Each is linear, and its adjoint is its transpose, the inverse movement:
 * Reshape back, inverse permutation, Concat of Split, Split of Concat, Pad of Slice, Slice of Pad (reflect and
 * edge padding by their per-axis matrices, transposed).
 */
final class ShapeOperators {
    private ShapeOperators() {
    }

    static void register(OperatorTable.Builder b) {
        VjpRule reshapeBack = c -> first(c, c.ops().reshape(c.dy(), c.shape(c.in(0)).dims()));
        b.define("Reshape", (node, env) -> of(node, env, reshape(node, in(node, env).shape(),
                ShapeInference.constLongs(node, env, 1, "shape"), Attrs.getInt(node, "allowzero", 0) != 0)),
                reshapeBack);
        b.define("Flatten", ShapeOperators::flattenShape, reshapeBack);
        b.define("Squeeze", ShapeOperators::squeezeShape, reshapeBack);
        b.define("Unsqueeze", ShapeOperators::unsqueezeShape, reshapeBack);
        b.define("Transpose", (node, env) -> {
            Shape s = in(node, env).shape();
            long[] perm = perm(node, s.rank());
            long[] out = new long[perm.length];
            for (int i = 0; i < perm.length; i++) {
                out[i] = s.dim((int) perm[i]);
            }
            return of(node, env, Shape.of(out));
        }, ShapeOperators::transpose);
        b.define("Split", ShapeOperators::splitShape, ShapeOperators::split);
        b.define("Concat", ShapeOperators::concatShape, ShapeOperators::concat);
        b.define("Slice", (node, env) -> {
            long[][] ranges = ShapeInference.sliceRanges(node, env);
            long[] out = new long[ranges.length];
            for (int i = 0; i < out.length; i++) {
                out[i] = ranges[i][2];
            }
            return of(node, env, Shape.of(out));
        }, ShapeOperators::slice);
        b.define("Pad", ShapeOperators::padShape, ShapeOperators::pad);
    }

    // ---- shapes ----

    private static ValueType in(NodeProto node, Env env) {
        return ShapeInference.in(node, env, 0);
    }

    /** Input 0's element type with a new shape. */
    private static Result of(NodeProto node, Env env, Shape shape) {
        return Result.of(in(node, env).withShape(shape));
    }

    private static Shape reshape(NodeProto node, Shape x, long[] target, boolean allowZero) {
        long[] out = target.clone();
        int inferred = -1;
        long known = 1;
        for (int i = 0; i < out.length; i++) {
            if (out[i] == 0 && !allowZero) {
                out[i] = x.dim(i);
            }
            if (out[i] == -1) {
                if (inferred >= 0) {
                    throw new IllegalArgumentException(Attrs.describe(node) + ": more than one -1 in shape "
                            + Arrays.toString(target));
                }
                inferred = i;
            } else {
                known *= out[i];
            }
        }
        if (inferred >= 0) {
            out[inferred] = known == 0 ? 0 : x.size() / known;
        }
        Shape s = Shape.of(out);
        if (s.size() != x.size()) {
            throw new IllegalArgumentException(Attrs.describe(node) + ": cannot reshape " + x + " to "
                    + Arrays.toString(target));
        }
        return s;
    }

    private static Result flattenShape(NodeProto node, Env env) {
        Shape s = in(node, env).shape();
        long axis = Attrs.getInt(node, "axis", 1);
        int a = (int) (axis < 0 ? axis + s.rank() : axis);
        long outer = 1;
        for (int i = 0; i < a; i++) {
            outer *= s.dim(i);
        }
        return of(node, env, Shape.of(outer, s.size() / Math.max(outer, 1)));
    }

    private static Result squeezeShape(NodeProto node, Env env) {
        Shape s = in(node, env).shape();
        long[] axes = ShapeInference.optionalConstLongs(node, env, 1, "axes");
        boolean[] drop = new boolean[s.rank()];
        if (axes == null) {
            for (int i = 0; i < s.rank(); i++) {
                drop[i] = s.dim(i) == 1;
            }
        } else {
            for (long a : axes) {
                int ax = s.axis(a, Attrs.describe(node));
                if (s.dim(ax) != 1) {
                    throw new IllegalArgumentException(Attrs.describe(node) + ": cannot squeeze axis " + a
                            + " of size " + s.dim(ax));
                }
                drop[ax] = true;
            }
        }
        List<Long> dims = new ArrayList<>();
        for (int i = 0; i < s.rank(); i++) {
            if (!drop[i]) {
                dims.add(s.dim(i));
            }
        }
        return of(node, env, Shape.of(dims.stream().mapToLong(Long::longValue).toArray()));
    }

    private static Result unsqueezeShape(NodeProto node, Env env) {
        Shape s = in(node, env).shape();
        long[] axes = ShapeInference.constLongs(node, env, 1, "axes");
        int rank = s.rank() + axes.length;
        boolean[] inserted = new boolean[rank];
        for (long a : axes) {
            int ax = (int) (a < 0 ? a + rank : a);
            if (ax < 0 || ax >= rank || inserted[ax]) {
                throw new IllegalArgumentException(Attrs.describe(node) + ": bad axes " + Arrays.toString(axes));
            }
            inserted[ax] = true;
        }
        long[] out = new long[rank];
        for (int i = 0, j = 0; i < rank; i++) {
            out[i] = inserted[i] ? 1 : s.dim(j++);
        }
        return of(node, env, Shape.of(out));
    }

    /** Transpose permutation of a Transpose node (default: reversed axes). */
    private static long[] perm(NodeProto node, int rank) {
        long[] perm = Attrs.getInts(node, "perm");
        if (perm == null) {
            perm = new long[rank];
            for (int i = 0; i < rank; i++) {
                perm[i] = rank - 1 - i;
            }
        }
        if (perm.length != rank) {
            throw new IllegalArgumentException(Attrs.describe(node) + ": perm " + Arrays.toString(perm)
                    + " does not match input rank " + rank);
        }
        return perm;
    }

    /** The sizes of a Split node's outputs (from the split input, or equal parts). */
    private static Result splitShape(NodeProto node, Env env) {
        ValueType t = in(node, env);
        int axis = t.shape().axis(Attrs.getInt(node, "axis", 0), Attrs.describe(node));
        long[] sizes = ShapeInference.optionalConstLongs(node, env, 1, "split");
        int parts = node.getOutputCount();
        if (sizes == null) {
            long dim = t.shape().dim(axis);
            if (dim % parts != 0) {
                throw new IllegalArgumentException(Attrs.describe(node) + ": axis of size " + dim
                        + " does not split into " + parts + " equal parts");
            }
            sizes = new long[parts];
            Arrays.fill(sizes, dim / parts);
        }
        if (sizes.length != parts || Arrays.stream(sizes).sum() != t.shape().dim(axis)) {
            throw new IllegalArgumentException(Attrs.describe(node) + ": split " + Arrays.toString(sizes)
                    + " does not cover axis " + axis + " of " + t.shape() + " in " + parts + " outputs");
        }
        List<ValueType> outs = new ArrayList<>();
        for (long size : sizes) {
            outs.add(t.withShape(t.shape().withDim(axis, size)));
        }
        return new Result(outs, Arrays.asList(new TensorProto[outs.size()]));
    }

    private static Result concatShape(NodeProto node, Env env) {
        Shape first = in(node, env).shape();
        int axis = first.axis(Attrs.getInt(node, "axis", 0), Attrs.describe(node));
        long total = 0;
        for (int i = 0; i < node.getInputCount(); i++) {
            Shape s = ShapeInference.in(node, env, i).shape();
            if (s.rank() != first.rank()) {
                throw new IllegalArgumentException(Attrs.describe(node) + ": inputs of different rank");
            }
            for (int d = 0; d < s.rank(); d++) {
                if (d != axis && s.dim(d) != first.dim(d)) {
                    throw new IllegalArgumentException(Attrs.describe(node) + ": input " + i + " has shape " + s
                            + ", which differs from " + first + " off the concatenation axis " + axis);
                }
            }
            total += s.dim(axis);
        }
        return of(node, env, first.withDim(axis, total));
    }

    private static Result padShape(NodeProto node, Env env) {
        Shape s = in(node, env).shape();
        long[] pads = fullPads(node, env, s.rank());
        int r = s.rank();
        long[] out = s.dims();
        for (int i = 0; i < r; i++) {
            out[i] += pads[i] + pads[i + r];
        }
        return of(node, env, Shape.of(out));
    }

    /** Pads [begin_0 .. begin_r-1, end_0 .. end_r-1] (opset 18's axes input is spread out on import). */
    private static long[] fullPads(NodeProto node, Env env, int r) {
        long[] pads = ShapeInference.constLongs(node, env, 1, "pads");
        if (pads.length != 2 * r) {
            throw new IllegalArgumentException(Attrs.describe(node) + ": pads has " + pads.length
                    + " entries, expected " + 2 * r);
        }
        return pads;
    }

    // ---- adjoints ----

    private static List<String> first(VjpContext c, String dx) {
        List<String> g = c.noGrads();
        g.set(0, dx);
        return g;
    }

    private static List<String> transpose(VjpContext c) {
        long[] perm = perm(c.node(), c.shape(c.in(0)).rank());
        long[] inverse = new long[perm.length];
        for (int i = 0; i < perm.length; i++) {
            inverse[(int) perm[i]] = i;
        }
        return first(c, c.ops().transpose(c.dy(), inverse));
    }

    private static List<String> split(VjpContext c) {
        c.refuseIfNeeded(1, "split sizes are integers");
        Shape x = c.shape(c.in(0));
        int axis = x.axis(c.intAttr("axis", 0), "Split");
        String[] parts = new String[c.node().getOutputCount()];
        for (int i = 0; i < parts.length; i++) {
            parts[i] = c.gradOutOrZeros(i);
        }
        return first(c, parts.length == 1 ? parts[0] : c.ops().concat(axis, parts));
    }

    private static List<String> concat(VjpContext c) {
        Shape y = c.shape(c.out(0));
        int axis = y.axis(c.intAttr("axis", 0), "Concat");
        List<String> g = c.noGrads();
        if (c.inputCount() == 1) {
            g.set(0, c.dy());
            return g;
        }
        long[] sizes = new long[c.inputCount()];
        for (int i = 0; i < sizes.length; i++) {
            sizes[i] = c.shape(c.in(i)).dim(axis);
        }
        List<String> parts = c.ops().split(c.dy(), axis, sizes);
        for (int i = 0; i < sizes.length; i++) {
            if (c.needsGrad(i)) {
                g.set(i, parts.get(i));
            }
        }
        return g;
    }

    /**
     * Unit-step slices: the adjoint zero-pads dY back to the input's extent. Other steps (negative too): a
     * selection matrix per strided axis, transposed ({@link AxisMatrices}), then the unit-step axes padded.
     */
    private static List<String> slice(VjpContext c) {
        long[][] ranges = ShapeInference.sliceRanges(c.node(), c.graph());
        Shape x = c.shape(c.in(0));
        String dx = c.dy();
        long[] pads = new long[2 * ranges.length];
        boolean padded = false;
        for (int i = 0; i < ranges.length; i++) {
            long start = ranges[i][0];
            long step = ranges[i][1];
            long count = ranges[i][2];
            if (step == 1) {
                pads[i] = start;
                pads[i + ranges.length] = x.dim(i) - start - count;
                padded |= pads[i] != 0 || pads[i + ranges.length] != 0;
                continue;
            }
            int in = (int) x.dim(i);
            float[] select = new float[(int) count * in];
            for (int o = 0; o < count; o++) {
                select[o * in + (int) (start + o * step)] = 1f;
            }
            dx = AxisMatrices.transposeAlong(c, dx, i, select, (int) count, in, "slice_adjoint");
        }
        return first(c, padded ? c.ops().pad(dx, pads) : dx);
    }

    /**
     * Constant mode with non-negative pads: the adjoint crops dY back to the input. Otherwise (reflect, edge,
     * or cropping by negative pads) Pad acts on each axis by a matrix P [out, in] whose rows pick the source
     * element, y = P x, and the adjoint applies P^T per axis ({@link AxisMatrices}); the axes commute.
     */
    private static List<String> pad(VjpContext c) {
        String mode = c.stringAttr("mode", "constant");
        if (!mode.equals("constant") && !mode.equals("reflect") && !mode.equals("edge")) {
            throw c.refuse("Pad mode '" + mode + "' is not supported (constant, reflect, edge)");
        }
        c.refuseIfNeeded(2, "the padding value is not differentiated");
        Shape x = c.shape(c.in(0));
        int r = x.rank();
        long[] pads = fullPads(c.node(), c.graph(), r);
        boolean cropping = Arrays.stream(pads).anyMatch(p -> p < 0);
        if (mode.equals("constant") && !cropping) {
            return first(c, crop(c, pads, x));
        }
        String dx = c.dy();
        for (int axis = 0; axis < r; axis++) {
            long begin = pads[axis];
            long end = pads[axis + r];
            if (begin == 0 && end == 0) {
                continue;
            }
            int in = (int) x.dim(axis);
            int out = (int) (in + begin + end);
            float[] p = new float[out * in];
            for (int o = 0; o < out; o++) {
                int src = sourceIndex(c, mode, o - (int) begin, in);
                if (src >= 0) {
                    p[o * in + src] += 1f;
                }
            }
            dx = AxisMatrices.transposeAlong(c, dx, axis, p, out, in, "pad_adjoint");
        }
        return first(c, dx);
    }

    /** The input index output position (o - begin) reads, or -1 for the constant (ONNX Pad-13 modes). */
    private static int sourceIndex(VjpContext c, String mode, int i, int in) {
        if (i >= 0 && i < in) {
            return i;
        }
        return switch (mode) {
            case "edge" -> i < 0 ? 0 : in - 1;
            case "reflect" -> {
                if (in == 1) {
                    yield 0;
                }
                int period = 2 * (in - 1);
                int m = Math.floorMod(i, period);
                yield m < in ? m : period - m;
            }
            default -> -1;
        };
    }

    private static String crop(VjpContext c, long[] pads, Shape x) {
        int r = x.rank();
        List<Long> starts = new ArrayList<>();
        List<Long> ends = new ArrayList<>();
        List<Long> axes = new ArrayList<>();
        for (int i = 0; i < r; i++) {
            if (pads[i] != 0 || pads[i + r] != 0) {
                starts.add(pads[i]);
                ends.add(pads[i] + x.dim(i));
                axes.add((long) i);
            }
        }
        if (axes.isEmpty()) {
            return c.dy();
        }
        return c.ops().slice(c.dy(), toArray(starts), toArray(ends), toArray(axes));
    }

    private static long[] toArray(List<Long> values) {
        return values.stream().mapToLong(Long::longValue).toArray();
    }
}
