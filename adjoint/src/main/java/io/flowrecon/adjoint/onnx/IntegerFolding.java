package io.flowrecon.adjoint.onnx;

import io.flowrecon.adjoint.onnx.proto.NodeProto;
import io.flowrecon.adjoint.onnx.proto.TensorProto;
import io.flowrecon.adjoint.onnx.proto.TensorProto.DataType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Constant folding of the small integer computations that feed shapes, so imported graphs stay static. */
final class IntegerFolding {
    private IntegerFolding() {
    }

    /**
     * Integer ops that exporters (PyTorch's especially) chain to compute Reshape targets from Shape: folded
     * when every input is a constant, so the shapes downstream stay static.
     */
    private static final Set<String> FOLDABLE = Set.of("Identity", "Reshape", "Squeeze", "Unsqueeze", "Flatten",
            "Cast", "Concat", "Slice", "Add", "Sub", "Mul", "Div");

    static boolean foldable(String opType) {
        return FOLDABLE.contains(opType);
    }

    /** The folded int64 values of the node's single output, or null where an input is not constant. */
    static long[] fold(NodeProto node, ShapeInference.Env env, Shape outShape) {
        List<long[]> values = new ArrayList<>();
        for (String in : node.getInputList()) {
            if (in.isEmpty()) {
                values.add(null);
                continue;
            }
            Optional<TensorProto> t = env.constant(in);
            if (t.isEmpty() || !isInteger(Tensors.dataType(t.get()))) {
                return null;
            }
            values.add(Tensors.toLongs(t.get()));
        }
        long[] a = values.get(0);
        return switch (node.getOpType()) {
            case "Identity", "Reshape", "Squeeze", "Unsqueeze", "Flatten", "Cast" -> a;
            case "Concat" -> {
                if (outShape.rank() != 1) {
                    yield null;
                }
                long[] out = new long[0];
                for (long[] v : values) {
                    out = concat(out, v);
                }
                yield out;
            }
            case "Slice" -> {
                if (outShape.rank() != 1) {
                    yield null;
                }
                long[] range = ShapeInference.sliceRanges(node, env)[0];
                long[] out = new long[(int) range[2]];
                for (int i = 0; i < out.length; i++) {
                    out[i] = a[(int) (range[0] + i * range[1])];
                }
                yield out;
            }
            default -> {
                long[] b = values.get(1);
                int n = (int) outShape.size();
                if ((a.length != n && a.length != 1) || (b.length != n && b.length != 1)
                        || (node.getOpType().equals("Div") && Arrays.stream(b).anyMatch(v -> v == 0))) {
                    yield null;
                }
                long[] out = new long[n];
                for (int i = 0; i < n; i++) {
                    long x = a[a.length == 1 ? 0 : i];
                    long y = b[b.length == 1 ? 0 : i];
                    out[i] = switch (node.getOpType()) {
                        case "Add" -> x + y;
                        case "Sub" -> x - y;
                        case "Mul" -> x * y;
                        // integer Div truncates toward zero, as in C (ONNX Runtime's kernels)
                        default -> y == 0 ? x : x / y;
                    };
                }
                yield out;
            }
        };
    }

    private static boolean isInteger(DataType t) {
        return t == DataType.INT64 || t == DataType.INT32 || t == DataType.INT16 || t == DataType.INT8
                || t == DataType.UINT8 || t == DataType.UINT16 || t == DataType.UINT32;
    }

    private static long[] concat(long[] a, long[] b) {
        long[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
