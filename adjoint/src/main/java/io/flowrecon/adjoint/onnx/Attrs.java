package io.flowrecon.adjoint.onnx;

import com.google.protobuf.ByteString;
import io.flowrecon.adjoint.onnx.proto.AttributeProto;
import io.flowrecon.adjoint.onnx.proto.AttributeProto.AttributeType;
import io.flowrecon.adjoint.onnx.proto.NodeProto;
import io.flowrecon.adjoint.onnx.proto.TensorProto;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** Typed node attributes: factories for writing and getters (with the spec's defaults) for reading. */
public final class Attrs {
    private Attrs() {
    }

    public static AttributeProto i(String name, long value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeType.INT).setI(value).build();
    }

    public static AttributeProto f(String name, float value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeType.FLOAT).setF(value).build();
    }

    public static AttributeProto s(String name, String value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeType.STRING)
                .setS(ByteString.copyFrom(value, StandardCharsets.UTF_8)).build();
    }

    public static AttributeProto ints(String name, long... values) {
        AttributeProto.Builder b = AttributeProto.newBuilder().setName(name).setType(AttributeType.INTS);
        for (long v : values) {
            b.addInts(v);
        }
        return b.build();
    }

    public static AttributeProto floats(String name, float... values) {
        AttributeProto.Builder b = AttributeProto.newBuilder().setName(name).setType(AttributeType.FLOATS);
        for (float v : values) {
            b.addFloats(v);
        }
        return b.build();
    }

    public static AttributeProto tensor(String name, TensorProto value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeType.TENSOR).setT(value).build();
    }

    public static Optional<AttributeProto> find(NodeProto node, String name) {
        for (AttributeProto a : node.getAttributeList()) {
            if (a.getName().equals(name)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    public static long getInt(NodeProto node, String name, long defaultValue) {
        return find(node, name).map(AttributeProto::getI).orElse(defaultValue);
    }

    public static float getFloat(NodeProto node, String name, float defaultValue) {
        return find(node, name).map(AttributeProto::getF).orElse(defaultValue);
    }

    public static String getString(NodeProto node, String name, String defaultValue) {
        return find(node, name).map(a -> a.getS().toStringUtf8()).orElse(defaultValue);
    }

    /** The INTS attribute, or null where the node does not carry it. */
    public static long[] getInts(NodeProto node, String name) {
        return find(node, name).map(a -> a.getIntsList().stream().mapToLong(Long::longValue).toArray()).orElse(null);
    }

    /** "Conv_3 (Conv)": how errors name a node. */
    public static String describe(NodeProto node) {
        String name = node.getName().isEmpty() ? "<unnamed, output " + (node.getOutputCount() > 0 ? node.getOutput(0) : "?") + ">"
                : node.getName();
        return "node '" + name + "' (" + node.getOpType() + ")";
    }
}
