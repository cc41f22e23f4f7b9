package io.flowrecon.shared.job;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** float32 vectors as bytes, little-endian: the layout of job_inputs.measurement_values and of uploads. */
public final class Float32 {

    private Float32() {
    }

    /** float32 little-endian, the layout of job_inputs.measurement_values. */
    public static byte[] bytes(float[] values) {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asFloatBuffer().put(values);
        return buffer.array();
    }

    /** Inverse of {@link #bytes}. */
    public static float[] values(byte[] bytes) {
        if (bytes.length % Float.BYTES != 0) {
            throw new IllegalArgumentException("float32 data must be a multiple of 4 bytes, got " + bytes.length);
        }
        float[] values = new float[bytes.length / Float.BYTES];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
        return values;
    }
}
