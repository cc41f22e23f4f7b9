package io.flowrecon.adjoint.onnx;

import com.google.protobuf.InvalidProtocolBufferException;
import io.flowrecon.adjoint.onnx.proto.ModelProto;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reading and writing .onnx files (ModelProto bytes). Tensors stored as external data are not supported. */
public final class OnnxFiles {
    private OnnxFiles() {
    }

    public static ModelProto read(Path file) {
        try {
            return parse(Files.readAllBytes(file), file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read ONNX model " + file, e);
        }
    }

    public static ModelProto parse(byte[] bytes, String what) {
        try {
            ModelProto m = ModelProto.parseFrom(bytes);
            if (!m.hasGraph()) {
                throw new IllegalArgumentException(what + " is not an ONNX model: it has no graph");
            }
            for (var t : m.getGraph().getInitializerList()) {
                if (t.getDataLocation() == io.flowrecon.adjoint.onnx.proto.TensorProto.DataLocation.EXTERNAL) {
                    throw new IllegalArgumentException(what + ": initialiser '" + t.getName()
                            + "' uses external data, which is not supported; save the model as one file");
                }
            }
            return m;
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException(what + " is not an ONNX model: " + e.getMessage(), e);
        }
    }

    public static void write(ModelProto model, Path file) {
        try {
            Files.write(file, model.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write ONNX model " + file, e);
        }
    }
}
