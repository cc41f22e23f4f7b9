package io.flowrecon.adjoint.onnx;

import io.flowrecon.adjoint.onnx.proto.AttributeProto;
import io.flowrecon.adjoint.onnx.proto.NodeProto;
import io.flowrecon.adjoint.onnx.proto.TensorProto;
import io.flowrecon.adjoint.onnx.proto.TensorProto.DataType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Static shape inference (opset 17 semantics) for the operators flowrecon builds and differentiates, plus
 * constant folding of the few integer ops that feed shapes (Constant, Shape). Every shape is static: an op
 * whose output shape depends on data that is not a constant is refused with the node's name.
 */
public final class ShapeInference {

    /** What inference may ask about a node's inputs. */
    public interface Env {
        ValueType type(String name);

        Optional<TensorProto> constant(String name);
    }

    /** Output types of a node, and the constant value of outputs that fold (null entries otherwise). */
    public record Result(List<ValueType> outputs, List<TensorProto> constants) {
        static Result of(ValueType... types) {
            return new Result(List.of(types), Arrays.asList(new TensorProto[types.length]));
        }
    }

    private static final Set<String> SAME_AS_FIRST = Set.of("Identity", "Neg", "Exp", "Log", "Sqrt", "Sigmoid",
            "Tanh", "Relu", "LeakyRelu", "Softplus", "Abs", "Reciprocal", "Clip", "Erf", "Softsign", "Elu", "Selu",
            "HardSigmoid", "Floor", "Ceil", "Round", "Sign", "Not", "Softmax", "LogSoftmax", "Sin", "Cos",
            "BatchNormalization", "InstanceNormalization", "Dropout");
    private static final Set<String> BROADCAST = Set.of("Add", "Sub", "Mul", "Div", "Pow", "Max", "Min", "Sum",
            "Mean");
    private static final Set<String> COMPARE = Set.of("Greater", "Less", "Equal", "GreaterOrEqual", "LessOrEqual",
            "And", "Or", "Xor");
    private static final Set<String> REDUCE_AXES_ATTRIBUTE = Set.of("ReduceMean", "ReduceSumSquare", "ReduceMax",
            "ReduceMin", "ReduceProd", "ReduceL2", "ReduceL1", "ReduceLogSumExp");

    private ShapeInference() {
    }

    public static Result infer(NodeProto node, Env env) {
        Result r = inferTypes(node, env);
        if (r.outputs().size() == 1 && r.constants().get(0) == null && IntegerFolding.foldable(node.getOpType())
                && r.outputs().get(0).elemType() == DataType.INT64) {
            long[] folded = IntegerFolding.fold(node, env, r.outputs().get(0).shape());
            if (folded != null) {
                return new Result(r.outputs(), List.of(Tensors.int64s("", folded, r.outputs().get(0).shape().dims())));
            }
        }
        return r;
    }

    private static Result inferTypes(NodeProto node, Env env) {
        if (!node.getDomain().isEmpty() && !node.getDomain().equals("ai.onnx")) {
            throw unsupported(node, "domain '" + node.getDomain() + "' is not supported");
        }
        String op = node.getOpType();
        if (SAME_AS_FIRST.contains(op)) {
            ValueType t = in(node, env, 0);
            if (node.getOutputCount() > 1 && op.equals("BatchNormalization")
                    && Attrs.getInt(node, "training_mode", 0) != 0) {
                throw unsupported(node, "training_mode=1 is not supported (inference only)");
            }
            return first(node, t);
        }
        if (BROADCAST.contains(op)) {
            ValueType t = in(node, env, 0);
            Shape s = t.shape();
            for (int i = 1; i < node.getInputCount(); i++) {
                s = broadcast(node, s, in(node, env, i).shape());
            }
            return Result.of(t.withShape(s));
        }
        if (COMPARE.contains(op)) {
            return Result.of(new ValueType(DataType.BOOL, broadcast(node, in(node, env, 0).shape(),
                    in(node, env, 1).shape())));
        }
        if (REDUCE_AXES_ATTRIBUTE.contains(op)) {
            return Result.of(reduce(node, in(node, env, 0), Attrs.getInts(node, "axes"), false));
        }
        return switch (op) {
            case "Constant" -> constantNode(node);
            case "Cast" -> Result.of(in(node, env, 0).withElemType(dataType(node, Attrs.getInt(node, "to", 0))));
            case "Where" -> Result.of(in(node, env, 1).withShape(broadcast(node, broadcast(node,
                    in(node, env, 0).shape(), in(node, env, 1).shape()), in(node, env, 2).shape())));
            case "MatMul" -> Result.of(in(node, env, 0).withShape(matMul(node, in(node, env, 0).shape(),
                    in(node, env, 1).shape())));
            case "Gemm" -> gemm(node, env);
            case "Conv" -> conv(node, env, false);
            case "ConvTranspose" -> conv(node, env, true);
            case "Reshape" -> Result.of(in(node, env, 0).withShape(reshape(node, in(node, env, 0).shape(),
                    constLongs(node, env, 1, "shape"), Attrs.getInt(node, "allowzero", 0) != 0)));
            case "Flatten" -> flatten(node, env);
            case "Transpose" -> Result.of(in(node, env, 0).withShape(transpose(in(node, env, 0).shape(),
                    perm(node, in(node, env, 0).shape().rank()))));
            case "Split" -> split(node, env);
            case "Concat" -> concat(node, env);
            case "Slice" -> slice(node, env);
            case "Pad" -> pad(node, env);
            case "Squeeze" -> squeeze(node, env);
            case "Unsqueeze" -> unsqueeze(node, env);
            case "ReduceSum" -> Result.of(reduce(node, in(node, env, 0),
                    optionalConstLongs(node, env, 1, "axes"), Attrs.getInt(node, "noop_with_empty_axes", 0) != 0));
            case "Resize" -> resize(node, env);
            case "ConstantOfShape" -> constantOfShape(node, env);
            case "Expand" -> Result.of(in(node, env, 0).withShape(broadcast(node, in(node, env, 0).shape(),
                    Shape.of(constLongs(node, env, 1, "shape")))));
            case "Shape" -> shapeOf(node, env);
            case "Gather" -> gather(node, env);
            case "GlobalAveragePool", "GlobalMaxPool" -> {
                Shape s = in(node, env, 0).shape();
                long[] d = s.dims();
                Arrays.fill(d, 2, d.length, 1);
                yield Result.of(in(node, env, 0).withShape(Shape.of(d)));
            }
            default -> throw unsupported(node, "no shape inference for operator " + op);
        };
    }

    // ---- helpers shared with the adjoint builder ----

    /** Multidirectional (numpy) broadcasting of two shapes. */
    public static Shape broadcast(NodeProto node, Shape a, Shape b) {
        int rank = Math.max(a.rank(), b.rank());
        long[] out = new long[rank];
        for (int i = 0; i < rank; i++) {
            int ia = i - (rank - a.rank());
            int ib = i - (rank - b.rank());
            long da = ia >= 0 ? a.dim(ia) : 1;
            long db = ib >= 0 ? b.dim(ib) : 1;
            if (da != db && da != 1 && db != 1) {
                throw new IllegalArgumentException(Attrs.describe(node) + ": shapes " + a + " and " + b
                        + " do not broadcast");
            }
            out[i] = da == 1 ? db : da;
        }
        return Shape.of(out);
    }

    /** Transpose permutation of a Transpose node (default: reversed axes). */
    public static long[] perm(NodeProto node, int rank) {
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

    /**
     * The Slice node's effect per axis of the input: rows {start, step, count} (unsliced axes get {0, 1, dim}),
     * starts/ends clamped as the spec says.
     */
    public static long[][] sliceRanges(NodeProto node, Env env) {
        Shape s = in(node, env, 0).shape();
        long[] starts = constLongs(node, env, 1, "starts");
        long[] ends = constLongs(node, env, 2, "ends");
        long[] axes = optionalConstLongs(node, env, 3, "axes");
        long[] steps = optionalConstLongs(node, env, 4, "steps");
        long[][] out = new long[s.rank()][];
        for (int i = 0; i < s.rank(); i++) {
            out[i] = new long[] {0, 1, s.dim(i)};
        }
        for (int j = 0; j < starts.length; j++) {
            int axis = axes == null ? j : s.axis(axes[j], Attrs.describe(node));
            long dim = s.dim(axis);
            long step = steps == null ? 1 : steps[j];
            if (step == 0) {
                throw new IllegalArgumentException(Attrs.describe(node) + ": steps must not be 0");
            }
            long start = starts[j] < 0 ? starts[j] + dim : starts[j];
            long end = ends[j] < 0 ? ends[j] + dim : ends[j];
            if (step > 0) {
                start = clamp(start, 0, dim);
                end = clamp(end, 0, dim);
            } else {
                start = clamp(start, 0, dim - 1);
                end = clamp(end, -1, dim - 1);
            }
            long count = step > 0 ? Math.max(0, (end - start + step - 1) / step)
                    : Math.max(0, (start - end + (-step) - 1) / (-step));
            out[axis] = new long[] {start, step, count};
        }
        return out;
    }

    /** Integer contents of a constant input; refuses data-dependent values. */
    public static long[] constLongs(NodeProto node, Env env, int index, String what) {
        long[] v = optionalConstLongs(node, env, index, what);
        if (v == null) {
            throw new IllegalArgumentException(Attrs.describe(node) + ": input " + index + " (" + what
                    + ") is required");
        }
        return v;
    }

    /** Like {@link #constLongs} but null where the optional input is absent. */
    public static long[] optionalConstLongs(NodeProto node, Env env, int index, String what) {
        if (index >= node.getInputCount() || node.getInput(index).isEmpty()) {
            return null;
        }
        String name = node.getInput(index);
        return Tensors.toLongs(env.constant(name).orElseThrow(() -> new IllegalArgumentException(
                Attrs.describe(node) + ": input '" + name + "' (" + what
                        + ") must be a constant or initialiser so that shapes stay static")));
    }

    /** Reduced axes of a reduction node (null axes = all, unless noop). */
    public static int[] reducedAxes(NodeProto node, Shape s, long[] axes, boolean noopWithEmptyAxes) {
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

    // ---- per-operator inference ----

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

    private static Result constantNode(NodeProto node) {
        if (node.getAttributeCount() != 1) {
            throw unsupported(node, "a Constant needs exactly one value attribute");
        }
        AttributeProto a = node.getAttribute(0);
        TensorProto t = switch (a.getName()) {
            case "value" -> a.getT();
            case "value_float" -> Tensors.floats("", new float[] {a.getF()});
            case "value_floats" -> {
                float[] f = new float[a.getFloatsCount()];
                for (int i = 0; i < f.length; i++) {
                    f[i] = a.getFloats(i);
                }
                yield Tensors.floats("", f, f.length);
            }
            case "value_int" -> Tensors.int64s("", new long[] {a.getI()});
            case "value_ints" -> Tensors.int64s("", a.getIntsList().stream().mapToLong(Long::longValue).toArray(),
                    a.getIntsCount());
            default -> throw unsupported(node, "Constant attribute '" + a.getName() + "' is not supported");
        };
        return new Result(List.of(new ValueType(Tensors.dataType(t), Tensors.shape(t))), List.of(t));
    }

    private static Result gemm(NodeProto node, Env env) {
        Shape a = in(node, env, 0).shape();
        Shape b = in(node, env, 1).shape();
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
        return Result.of(in(node, env, 0).withShape(Shape.of(m, n)));
    }

    private static Result conv(NodeProto node, Env env, boolean transpose) {
        ValueType xt = in(node, env, 0);
        Shape x = xt.shape();
        Shape w = in(node, env, 1).shape();
        ConvGeometry g = transpose ? ConvGeometry.convTranspose(node, x, w) : ConvGeometry.conv(node, x, w);
        long[] out = new long[x.rank()];
        out[0] = x.dim(0);
        out[1] = transpose ? w.dim(1) * g.group() : w.dim(0);
        for (int i = 0; i < x.rank() - 2; i++) {
            out[i + 2] = transpose ? g.convTransposeOut(i, x.dim(i + 2)) : g.convOut(i, x.dim(i + 2));
            if (out[i + 2] <= 0) {
                throw new IllegalArgumentException(Attrs.describe(node) + ": spatial output size " + out[i + 2]
                        + " along axis " + (i + 2) + " is not positive");
            }
        }
        return Result.of(xt.withShape(Shape.of(out)));
    }

    /** Output shape of numpy-style MatMul (rank-1 operands promoted and their axis dropped). */
    public static Shape matMul(NodeProto node, Shape a, Shape b) {
        if (a.rank() == 0 || b.rank() == 0) {
            throw new IllegalArgumentException(Attrs.describe(node) + ": MatMul inputs must not be scalars");
        }
        Shape a2 = a.rank() == 1 ? Shape.of(1, a.dim(0)) : a;
        Shape b2 = b.rank() == 1 ? Shape.of(b.dim(0), 1) : b;
        if (a2.dim(-1) != b2.dim(-2)) {
            throw new IllegalArgumentException(Attrs.describe(node) + ": inner dimensions of " + a + " and " + b
                    + " differ");
        }
        Shape batch = broadcast(node, Shape.of(Arrays.copyOf(a2.dims(), a2.rank() - 2)),
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

    static Shape reshape(NodeProto node, Shape x, long[] target, boolean allowZero) {
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

    private static Result flatten(NodeProto node, Env env) {
        ValueType t = in(node, env, 0);
        Shape s = t.shape();
        long axis = Attrs.getInt(node, "axis", 1);
        int a = (int) (axis < 0 ? axis + s.rank() : axis);
        long outer = 1;
        for (int i = 0; i < a; i++) {
            outer *= s.dim(i);
        }
        return Result.of(t.withShape(Shape.of(outer, s.size() / Math.max(outer, 1))));
    }

    static Shape transpose(Shape s, long[] perm) {
        long[] out = new long[perm.length];
        for (int i = 0; i < perm.length; i++) {
            out[i] = s.dim((int) perm[i]);
        }
        return Shape.of(out);
    }

    private static Result split(NodeProto node, Env env) {
        ValueType t = in(node, env, 0);
        int axis = t.shape().axis(Attrs.getInt(node, "axis", 0), Attrs.describe(node));
        long[] sizes = splitSizes(node, env);
        List<ValueType> outs = new ArrayList<>();
        for (long size : sizes) {
            outs.add(t.withShape(t.shape().withDim(axis, size)));
        }
        return new Result(outs, Arrays.asList(new TensorProto[outs.size()]));
    }

    /** The sizes of a Split node's outputs (from the split input, or equal parts). */
    public static long[] splitSizes(NodeProto node, Env env) {
        ValueType t = in(node, env, 0);
        int axis = t.shape().axis(Attrs.getInt(node, "axis", 0), Attrs.describe(node));
        long[] sizes = optionalConstLongs(node, env, 1, "split");
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
        return sizes;
    }

    private static Result concat(NodeProto node, Env env) {
        ValueType t = in(node, env, 0);
        int axis = t.shape().axis(Attrs.getInt(node, "axis", 0), Attrs.describe(node));
        long total = 0;
        for (int i = 0; i < node.getInputCount(); i++) {
            Shape s = in(node, env, i).shape();
            if (s.rank() != t.shape().rank()) {
                throw new IllegalArgumentException(Attrs.describe(node) + ": inputs of different rank");
            }
            for (int d = 0; d < s.rank(); d++) {
                if (d != axis && s.dim(d) != t.shape().dim(d)) {
                    throw new IllegalArgumentException(Attrs.describe(node) + ": input " + i + " has shape " + s
                            + ", which differs from " + t.shape() + " off the concatenation axis " + axis);
                }
            }
            total += s.dim(axis);
        }
        return Result.of(t.withShape(t.shape().withDim(axis, total)));
    }

    private static Result slice(NodeProto node, Env env) {
        ValueType t = in(node, env, 0);
        long[][] ranges = sliceRanges(node, env);
        long[] out = new long[ranges.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = ranges[i][2];
        }
        return Result.of(t.withShape(Shape.of(out)));
    }

    private static Result pad(NodeProto node, Env env) {
        ValueType t = in(node, env, 0);
        long[] pads = constLongs(node, env, 1, "pads");
        int r = t.shape().rank();
        if (pads.length != 2 * r) {
            throw new IllegalArgumentException(Attrs.describe(node) + ": pads has " + pads.length
                    + " entries, expected " + 2 * r);
        }
        long[] out = t.shape().dims();
        for (int i = 0; i < r; i++) {
            out[i] += pads[i] + pads[i + r];
        }
        return Result.of(t.withShape(Shape.of(out)));
    }

    private static Result squeeze(NodeProto node, Env env) {
        ValueType t = in(node, env, 0);
        Shape s = t.shape();
        long[] axes = optionalConstLongs(node, env, 1, "axes");
        List<Long> dims = new ArrayList<>();
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
        for (int i = 0; i < s.rank(); i++) {
            if (!drop[i]) {
                dims.add(s.dim(i));
            }
        }
        return Result.of(t.withShape(Shape.of(dims.stream().mapToLong(Long::longValue).toArray())));
    }

    private static Result unsqueeze(NodeProto node, Env env) {
        ValueType t = in(node, env, 0);
        Shape s = t.shape();
        long[] axes = constLongs(node, env, 1, "axes");
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
        return Result.of(t.withShape(Shape.of(out)));
    }

    private static Result resize(NodeProto node, Env env) {
        ValueType t = in(node, env, 0);
        Shape s = t.shape();
        long[] sizes = optionalConstLongs(node, env, 3, "sizes");
        long[] out = new long[s.rank()];
        if (sizes != null && sizes.length > 0) {
            if (sizes.length != s.rank()) {
                throw new IllegalArgumentException(Attrs.describe(node) + ": sizes must have one entry per axis");
            }
            out = sizes.clone();
        } else {
            float[] scales = resizeScales(node, env);
            for (int i = 0; i < out.length; i++) {
                out[i] = (long) Math.floor(s.dim(i) * (double) scales[i]);
            }
        }
        return Result.of(t.withShape(Shape.of(out)));
    }

    /** The scales input of a Resize node (required when sizes is absent). */
    public static float[] resizeScales(NodeProto node, Env env) {
        if (node.getInputCount() < 3 || node.getInput(2).isEmpty()) {
            throw new IllegalArgumentException(Attrs.describe(node) + ": Resize needs scales or sizes");
        }
        String name = node.getInput(2);
        float[] scales = Tensors.toFloats(env.constant(name).orElseThrow(() -> new IllegalArgumentException(
                Attrs.describe(node) + ": scales '" + name + "' must be a constant")));
        if (scales.length != in(node, env, 0).shape().rank()) {
            throw new IllegalArgumentException(Attrs.describe(node) + ": scales must have one entry per axis");
        }
        return scales;
    }

    private static Result constantOfShape(NodeProto node, Env env) {
        long[] dims = constLongs(node, env, 0, "shape");
        DataType type = Attrs.find(node, "value").map(a -> Tensors.dataType(a.getT())).orElse(DataType.FLOAT);
        return Result.of(new ValueType(type, Shape.of(dims)));
    }

    private static Result shapeOf(NodeProto node, Env env) {
        long[] dims = in(node, env, 0).shape().dims();
        int r = dims.length;
        long start = Attrs.getInt(node, "start", 0);
        long end = Attrs.getInt(node, "end", r);
        int from = (int) clamp(start < 0 ? start + r : start, 0, r);
        int to = (int) clamp(end < 0 ? end + r : end, 0, r);
        long[] value = Arrays.copyOfRange(dims, from, Math.max(from, to));
        TensorProto t = Tensors.int64s("", value, value.length);
        return new Result(List.of(ValueType.int64s(value.length)), List.of(t));
    }

    private static Result gather(NodeProto node, Env env) {
        ValueType data = in(node, env, 0);
        Shape idx = in(node, env, 1).shape();
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
        if (cd.isPresent() && ci.isPresent() && data.elemType() == DataType.INT64 && data.shape().rank() == 1) {
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

    private static Result first(NodeProto node, ValueType t) {
        List<ValueType> outs = new ArrayList<>();
        outs.add(t);
        for (int i = 1; i < node.getOutputCount(); i++) {
            if (!node.getOutput(i).isEmpty()) {
                throw unsupported(node, "extra output '" + node.getOutput(i) + "' is not supported");
            }
            outs.add(null);
        }
        return new Result(outs, Arrays.asList(new TensorProto[outs.size()]));
    }

    private static ValueType in(NodeProto node, Env env, int i) {
        if (i >= node.getInputCount() || node.getInput(i).isEmpty()) {
            throw new IllegalArgumentException(Attrs.describe(node) + ": input " + i + " is required");
        }
        return env.type(node.getInput(i));
    }

    private static DataType dataType(NodeProto node, long code) {
        DataType d = DataType.forNumber((int) code);
        if (d == null || d == DataType.UNDEFINED) {
            throw unsupported(node, "unknown data type " + code);
        }
        return d;
    }

    private static long clamp(long v, long lo, long hi) {
        return Math.max(lo, Math.min(hi, v));
    }

    private static UnsupportedOperationException unsupported(NodeProto node, String why) {
        return new UnsupportedOperationException(Attrs.describe(node) + ": " + why);
    }
}
