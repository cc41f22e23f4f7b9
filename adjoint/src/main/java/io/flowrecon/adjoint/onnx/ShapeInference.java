package io.flowrecon.adjoint.onnx;

import io.flowrecon.adjoint.onnx.proto.NodeProto;
import io.flowrecon.adjoint.onnx.proto.TensorProto;
import io.flowrecon.adjoint.onnx.proto.TensorProto.DataType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Static shape inference: a lookup of each node's {@link ShapeRule} in a table keyed by op type (the operator
 * table of {@code io.flowrecon.adjoint}, where each operator's shape rule sits beside its adjoint), then
 * constant folding of the few small ops that feed shapes and scales ({@link ConstantFolding}). Every shape is static;
 * an operator without a rule is refused with the node's name.
 */
public final class ShapeInference {

    /** What inference may ask about a node's inputs. */
    public interface Env {
        ValueType type(String name);

        Optional<TensorProto> constant(String name);
    }

    /** Output types of a node, and the constant value of outputs that fold (null entries otherwise). */
    public record Result(List<ValueType> outputs, List<TensorProto> constants) {
        public static Result of(ValueType... types) {
            return new Result(List.of(types), Arrays.asList(new TensorProto[types.length]));
        }
    }

    private final Map<String, ShapeRule> rules;

    public ShapeInference(Map<String, ShapeRule> rules) {
        this.rules = Map.copyOf(rules);
    }

    public Result infer(NodeProto node, Env env) {
        if (!node.getDomain().isEmpty() && !node.getDomain().equals("ai.onnx")) {
            throw unsupported(node, "domain '" + node.getDomain() + "' is not supported");
        }
        ShapeRule rule = rules.get(node.getOpType());
        if (rule == null) {
            throw unsupported(node, "no shape inference for operator " + node.getOpType());
        }
        Result r = rule.infer(node, env);
        if (r.outputs().size() == 1 && r.constants().get(0) == null) {
            TensorProto folded = ConstantFolding.fold(node, env, r.outputs().get(0));
            if (folded != null) {
                return new Result(r.outputs(), List.of(folded));
            }
        }
        return r;
    }

    // ---- what the rules of several operator families share ----

    /** The rule of operators whose single output has the type of input 0 (unary element-wise ops). */
    public static Result sameAsFirst(NodeProto node, Env env) {
        List<ValueType> outs = new ArrayList<>();
        outs.add(in(node, env, 0));
        for (int i = 1; i < node.getOutputCount(); i++) {
            if (!node.getOutput(i).isEmpty()) {
                throw unsupported(node, "extra output '" + node.getOutput(i) + "' is not supported");
            }
            outs.add(null);
        }
        return new Result(outs, Arrays.asList(new TensorProto[outs.size()]));
    }

    /** Multidirectional (numpy) broadcasting of two shapes (ONNX Broadcasting.md). */
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

    /** The type of required input i. */
    public static ValueType in(NodeProto node, Env env, int i) {
        if (i >= node.getInputCount() || node.getInput(i).isEmpty()) {
            throw new IllegalArgumentException(Attrs.describe(node) + ": input " + i + " is required");
        }
        return env.type(node.getInput(i));
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

    /**
     * The Slice node's effect per axis of the input: rows {start, step, count} (unsliced axes get {0, 1, dim}),
     * starts/ends clamped as the spec says. Shared by Slice's shape rule, its adjoint and integer folding.
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

    public static long clamp(long v, long lo, long hi) {
        return Math.max(lo, Math.min(hi, v));
    }

    public static UnsupportedOperationException unsupported(NodeProto node, String why) {
        return new UnsupportedOperationException(Attrs.describe(node) + ": " + why);
    }
}
