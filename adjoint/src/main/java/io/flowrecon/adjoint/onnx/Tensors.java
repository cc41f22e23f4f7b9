package io.flowrecon.adjoint.onnx;

import com.google.protobuf.ByteString;
import io.flowrecon.adjoint.onnx.proto.TensorProto;
import io.flowrecon.adjoint.onnx.proto.TensorProto.DataType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Building TensorProtos from Java arrays and reading them back (raw_data is little-endian per the ONNX spec). */
public final class Tensors {
    private Tensors() {
    }

    public static TensorProto floats(String name, float[] values, long... dims) {
        checkCount(name, values.length, dims);
        ByteBuffer buf = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        buf.asFloatBuffer().put(values);
        return header(name, DataType.FLOAT, dims).setRawData(ByteString.copyFrom(buf.array())).build();
    }

    public static TensorProto doubles(String name, double[] values, long... dims) {
        checkCount(name, values.length, dims);
        ByteBuffer buf = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        buf.asDoubleBuffer().put(values);
        return header(name, DataType.DOUBLE, dims).setRawData(ByteString.copyFrom(buf.array())).build();
    }

    public static TensorProto int64s(String name, long[] values, long... dims) {
        checkCount(name, values.length, dims);
        TensorProto.Builder b = header(name, DataType.INT64, dims);
        for (long v : values) {
            b.addInt64Data(v);
        }
        return b.build();
    }

    /** Booleans, stored in int32_data as the ONNX spec says for BOOL. */
    public static TensorProto bools(String name, boolean[] values, long... dims) {
        checkCount(name, values.length, dims);
        TensorProto.Builder b = header(name, DataType.BOOL, dims);
        for (boolean v : values) {
            b.addInt32Data(v ? 1 : 0);
        }
        return b.build();
    }

    /** A scalar (rank 0) of the given floating type. */
    public static TensorProto scalar(String name, DataType type, double value) {
        return switch (type) {
            case FLOAT -> floats(name, new float[] {(float) value});
            case DOUBLE -> doubles(name, new double[] {value});
            default -> throw new IllegalArgumentException("scalar constants are float or double, not " + type);
        };
    }

    public static Shape shape(TensorProto t) {
        return Shape.of(t.getDimsList().stream().mapToLong(Long::longValue).toArray());
    }

    public static DataType dataType(TensorProto t) {
        DataType d = DataType.forNumber(t.getDataType());
        return d == null ? DataType.UNDEFINED : d;
    }

    public static float[] toFloats(TensorProto t) {
        int n = Math.toIntExact(shape(t).size());
        float[] out = new float[n];
        switch (dataType(t)) {
            case FLOAT -> {
                if (t.hasRawData()) {
                    t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
                } else {
                    for (int i = 0; i < n; i++) {
                        out[i] = t.getFloatData(i);
                    }
                }
            }
            case DOUBLE -> {
                double[] d = toDoubles(t);
                for (int i = 0; i < n; i++) {
                    out[i] = (float) d[i];
                }
            }
            default -> {
                long[] l = toLongs(t);
                for (int i = 0; i < n; i++) {
                    out[i] = l[i];
                }
            }
        }
        return out;
    }

    public static double[] toDoubles(TensorProto t) {
        int n = Math.toIntExact(shape(t).size());
        double[] out = new double[n];
        if (dataType(t) == DataType.DOUBLE) {
            if (t.hasRawData()) {
                t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().get(out);
            } else {
                for (int i = 0; i < n; i++) {
                    out[i] = t.getDoubleData(i);
                }
            }
            return out;
        }
        float[] f = toFloats(t);
        for (int i = 0; i < n; i++) {
            out[i] = f[i];
        }
        return out;
    }

    /** Integer contents (INT64, INT32, bool and the small integer types), as longs. */
    public static long[] toLongs(TensorProto t) {
        int n = Math.toIntExact(shape(t).size());
        long[] out = new long[n];
        DataType type = dataType(t);
        if (t.hasRawData()) {
            ByteBuffer buf = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < n; i++) {
                out[i] = switch (type) {
                    case INT64, UINT64 -> buf.getLong();
                    case INT32, UINT32 -> buf.getInt();
                    case INT16, UINT16 -> buf.getShort();
                    case INT8, UINT8, BOOL -> buf.get();
                    default -> throw new IllegalArgumentException("tensor '" + t.getName() + "' of type " + type
                            + " is not an integer tensor");
                };
            }
            return out;
        }
        switch (type) {
            case INT64 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = t.getInt64Data(i);
                }
            }
            case UINT64 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = t.getUint64Data(i);
                }
            }
            case INT32, INT16, INT8, UINT16, UINT8, BOOL -> {
                for (int i = 0; i < n; i++) {
                    out[i] = t.getInt32Data(i);
                }
            }
            default -> throw new IllegalArgumentException("tensor '" + t.getName() + "' of type " + type
                    + " is not an integer tensor");
        }
        return out;
    }

    private static TensorProto.Builder header(String name, DataType type, long[] dims) {
        TensorProto.Builder b = TensorProto.newBuilder().setName(name).setDataType(type.getNumber());
        for (long d : dims) {
            b.addDims(d);
        }
        return b;
    }

    private static void checkCount(String name, int count, long[] dims) {
        long expected = 1;
        for (long d : dims) {
            expected *= d;
        }
        if (expected != count) {
            throw new IllegalArgumentException("tensor '" + name + "': " + count + " values do not fill shape "
                    + java.util.Arrays.toString(dims) + " (" + expected + " elements)");
        }
    }
}
