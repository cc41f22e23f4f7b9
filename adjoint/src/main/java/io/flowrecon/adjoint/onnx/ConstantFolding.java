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
 * static: the int64 chains exporters (PyTorch's especially) build from Shape to compute Reshape targets, Expand
 * shapes (Where(Equal(shape, -1), ones, shape)) and Pad amounts (a Transpose and reversing Slice of pairs), and the
 * float Concat / Cast / Div chains torch writes for Resize scales when it exports without constant folding.
 */
final class ConstantFolding {
    private ConstantFolding() {
    }

    private static final Set<String> FOLDABLE = Set.of("Identity", "Reshape", "Squeeze", "Unsqueeze", "Flatten",
            "Cast", "Concat", "Slice", "Transpose", "Add", "Sub", "Mul", "Div", "Equal", "Where");
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
        if (out.elemType() == DataType.BOOL && node.getOpType().equals("Equal")) {
            long[] v = foldInts(node, env, out.shape(), inputs);
            if (v == null) {
                return null;
            }
            boolean[] b = new boolean[v.length];
            for (int i = 0; i < b.length; i++) {
                b[i] = v[i] != 0;
            }
            return Tensors.bools("", b, dims);
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
            boolean exact = t == null || isInteger(Tensors.dataType(t)) || Tensors.dataType(t) == DataType.BOOL;
            if (!exact && !node.getOpType().equals("Cast")) {
                return null;
            }
            values.add(t == null ? null : exact ? Tensors.toLongs(t) : truncate(t));
        }
        long[] a = values.get(0);
        return switch (node.getOpType()) {
            case "Identity", "Reshape", "Squeeze", "Unsqueeze", "Flatten", "Cast" -> a;
            case "Concat" -> outShape.rank() != 1 ? null : concat(values);
            case "Slice" -> {
                long[][] ranges = ShapeInference.sliceRanges(node, env);
                long[] inDims = Tensors.shape(in.get(0)).dims();
                yield gatherIndices(a, inDims, outShape.dims(), (axis, o) -> ranges[axis][0] + o * ranges[axis][1]);
            }
            case "Transpose" -> {
                long[] inDims = Tensors.shape(in.get(0)).dims();
                long[] perm = Attrs.getInts(node, "perm");
                int r = inDims.length;
                long[] inverse = new long[r];
                for (int i = 0; i < r; i++) {
                    inverse[perm == null ? r - 1 - i : (int) perm[i]] = i;
                }
                // output axis j reads input axis perm[j]: input index along axis k is output index inverse[k]
                yield gatherPermuted(a, inDims, outShape.dims(), inverse);
            }
            case "Where" -> {
                long[] x = values.get(1);
                long[] y = values.get(2);
                int n = (int) outShape.size();
                if (!broadcastsTo(a.length, n) || !broadcastsTo(x.length, n) || !broadcastsTo(y.length, n)) {
                    yield null;
                }
                long[] out = new long[n];
                for (int i = 0; i < n; i++) {
                    out[i] = a[a.length == 1 ? 0 : i] != 0 ? x[x.length == 1 ? 0 : i] : y[y.length == 1 ? 0 : i];
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
                        case "Equal" -> x == y ? 1 : 0;
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
            case "Slice", "Transpose", "Where", "Equal" -> null;
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

    /** The source index along an input axis of output index o along that axis. */
    private interface AxisMap {
        long source(int axis, long o);
    }

    /** out[o_0, .., o_r-1] = a[map(0, o_0), .., map(r-1, o_r-1)] (row-major). */
    private static long[] gatherIndices(long[] a, long[] inDims, long[] outDims, AxisMap map) {
        int n = 1;
        for (long d : outDims) {
            n *= (int) d;
        }
        long[] out = new long[n];
        int r = outDims.length;
        long[] o = new long[r];
        for (int flat = 0; flat < n; flat++) {
            long src = 0;
            for (int k = 0; k < r; k++) {
                src = src * inDims[k] + map.source(k, o[k]);
            }
            out[flat] = a[(int) src];
            for (int k = r - 1; k >= 0 && ++o[k] == outDims[k]; k--) {
                o[k] = 0;
            }
        }
        return out;
    }

    /** A transpose: output axis j runs along input axis perm[j], so input axis k reads output axis inverse[k]. */
    private static long[] gatherPermuted(long[] a, long[] inDims, long[] outDims, long[] inverse) {
        int n = a.length;
        long[] out = new long[n];
        int r = outDims.length;
        long[] o = new long[r];
        for (int flat = 0; flat < n; flat++) {
            long src = 0;
            for (int k = 0; k < r; k++) {
                src = src * inDims[k] + o[(int) inverse[k]];
            }
            out[flat] = a[(int) src];
            for (int k = r - 1; k >= 0 && ++o[k] == outDims[k]; k--) {
                o[k] = 0;
            }
        }
        return out;
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
