package io.flowrecon.trainer.checkpoint;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Named float32 arrays in one file: "FRTA", format version, count, then per array its name (modified UTF-8),
 * rank, dims (int64) and values (big-endian float32, C order). Plain enough to read from any language; exact
 * (bit for bit), which checkpoint resumption needs.
 */
public final class TensorArchive {
    private static final int MAGIC = 0x46525441; // "FRTA"
    private static final int VERSION = 1;

    private TensorArchive() {
    }

    public static void write(Path file, Map<String, INDArray> arrays) throws IOException {
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file),
                1 << 16))) {
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            out.writeInt(arrays.size());
            for (Map.Entry<String, INDArray> e : arrays.entrySet()) {
                INDArray a = e.getValue();
                out.writeUTF(e.getKey());
                out.writeInt(a.rank());
                for (long d : a.shape()) {
                    out.writeLong(d);
                }
                for (float v : a.castTo(DataType.FLOAT).dup('c').data().asFloat()) {
                    out.writeFloat(v);
                }
            }
        }
    }

    public static Map<String, INDArray> read(Path file) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
            if (in.readInt() != MAGIC) {
                throw new IOException(file + ": not a flowrecon tensor archive (bad magic)");
            }
            int version = in.readInt();
            if (version != VERSION) {
                throw new IOException(file + ": tensor archive version " + version + ", this build reads "
                        + VERSION);
            }
            int count = in.readInt();
            Map<String, INDArray> out = new LinkedHashMap<>();
            for (int i = 0; i < count; i++) {
                String name = in.readUTF();
                long[] shape = new long[in.readInt()];
                long n = 1;
                for (int d = 0; d < shape.length; d++) {
                    shape[d] = in.readLong();
                    n *= shape[d];
                }
                float[] values = new float[Math.toIntExact(n)];
                for (int k = 0; k < values.length; k++) {
                    values[k] = in.readFloat();
                }
                out.put(name, shape.length == 0 ? Nd4j.scalar(values[0]) : Nd4j.create(values, shape, 'c'));
            }
            return out;
        }
    }
}
