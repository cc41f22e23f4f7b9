package io.flowrecon.adjoint.onnx;

import io.flowrecon.adjoint.onnx.proto.NodeProto;
import io.flowrecon.adjoint.onnx.proto.TensorProto;
import io.flowrecon.adjoint.onnx.proto.TensorProto.DataType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Constant folding of the small computations that feed shapes and Resize scales, so imported graphs stay
 * static: the int64 chains exporters (PyTorch's especially) build from Shape to compute Reshape targets, and the
 * float Concat / Cast / Div chains torch writes for Resize scales when it exports without constant folding.
 */
final class ConstantFolding {
    private ConstantFolding() {
    }

    private static final Set<String> FOLDABLE = Set.of("Identity", "Reshape", "Squeeze", "Unsqueeze", "Flatten",
            "Cast", "Concat", "Slice", "Add", "Sub", "Mul", "Div");
    /** Float results are folded only this small: scales and sizes, never weights. */
    private static final long MAX_FLOAT_ELEMENTS = 16;

    /** The folded value of the node's single output of type {@code out}, or null where it does not fold. */
    static TensorProto fold(NodeProto node, ShapeInference.Env env, ValueType out) {
        if (!FOLDABLE.contains(node.getOpType())) {
            return null;
        }
        List<TensorProto> inputs = new ArrayList<>();
        for (String in : node.getInputList()) {
            Optional<TensorProto> t = in.isEmpty() ? Optional.empty() : env.constant(in);
            if (!in.isEmpty() && t.isEmpty()) {
                return null;
            }
            inputs.add(t.orElse(null));
        }
        long[] dims = out.shape().dims();
        if (out.elemType() == DataType.INT64) {
            long[] v = foldInts(node, env, out.shape(), inputs);
            return v == null ? null : Tensors.int64s("", v, dims);
        }
        if (out.elemType() == DataType.FLOAT && out.shape().size() <= MAX_FLOAT_ELEMENTS) {
            double[] v = foldFloats(node, env, out.shape(), inputs);
            if (v == null) {
                return null;
            }
            float[] f = new float[v.length];
            for (int i = 0; i < f.length; i++) {
                f[i] = (float) v[i];
            }
            return Tensors.floats("", f, dims);
        }
        return null;
    }

    /** Integer results, exact (Cast of a float input truncates toward zero, as ONNX Runtime's Cast does). */
    private static long[] foldInts(NodeProto node, ShapeInference.Env env, Shape outShape, List<TensorProto> in) {
        List<long[]> values = new ArrayList<>();
        for (TensorProto t : in) {
            if (t != null && !isInteger(Tensors.dataType(t)) && !node.getOpType().equals("Cast")) {
                return null;
            }
            values.add(t == null ? null : isInteger(Tensors.dataType(t)) ? Tensors.toLongs(t) : truncate(t));
        }
        long[] a = values.get(0);
        return switch (node.getOpType()) {
            case "Identity", "Reshape", "Squeeze", "Unsqueeze", "Flatten", "Cast" -> a;
            case "Concat" -> outShape.rank() != 1 ? null : concat(values);
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
                if (!broadcastsTo(a.length, n) || !broadcastsTo(b.length, n)
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
                        default -> x / y;
                    };
                }
                yield out;
            }
        };
    }

    /** Float32 results, each operation rounded to float as a float32 kernel would. */
    private static double[] foldFloats(NodeProto node, ShapeInference.Env env, Shape outShape,
                                       List<TensorProto> in) {
        List<double[]> values = new ArrayList<>();
        for (TensorProto t : in) {
            values.add(t == null ? null : Tensors.toDoubles(t));
        }
        double[] a = values.get(0);
        return switch (node.getOpType()) {
            case "Identity", "Reshape", "Squeeze", "Unsqueeze", "Flatten", "Cast" -> a;
            case "Concat" -> {
                if (outShape.rank() != 1) {
                    yield null;
                }
                double[] out = new double[0];
                for (double[] v : values) {
                    double[] grown = Arrays.copyOf(out, out.length + v.length);
                    System.arraycopy(v, 0, grown, out.length, v.length);
                    out = grown;
                }
                yield out;
            }
            case "Slice" -> null;
            default -> {
                double[] b = values.get(1);
                int n = (int) outShape.size();
                if (!broadcastsTo(a.length, n) || !broadcastsTo(b.length, n)) {
                    yield null;
                }
                double[] out = new double[n];
                for (int i = 0; i < n; i++) {
                    float x = (float) a[a.length == 1 ? 0 : i];
                    float y = (float) b[b.length == 1 ? 0 : i];
                    out[i] = switch (node.getOpType()) {
                        case "Add" -> x + y;
                        case "Sub" -> x - y;
                        case "Mul" -> x * y;
                        default -> x / y;
                    };
                }
                yield out;
            }
        };
    }

    private static boolean broadcastsTo(int length, int n) {
        return length == n || length == 1;
    }

    private static long[] truncate(TensorProto t) {
        double[] d = Tensors.toDoubles(t);
        long[] out = new long[d.length];
        for (int i = 0; i < d.length; i++) {
            out[i] = (long) d[i];
        }
        return out;
    }

    private static boolean isInteger(DataType t) {
        return t == DataType.INT64 || t == DataType.INT32 || t == DataType.INT16 || t == DataType.INT8
                || t == DataType.UINT8 || t == DataType.UINT16 || t == DataType.UINT32;
    }

    private static long[] concat(List<long[]> parts) {
        long[] out = new long[0];
        for (long[] v : parts) {
            long[] grown = Arrays.copyOf(out, out.length + v.length);
            System.arraycopy(v, 0, grown, out.length, v.length);
            out = grown;
        }
        return out;
    }
}
