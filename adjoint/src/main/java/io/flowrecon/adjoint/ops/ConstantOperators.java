package io.flowrecon.adjoint.ops;

import io.flowrecon.adjoint.OperatorTable;
import io.flowrecon.adjoint.VjpContext;
import io.flowrecon.adjoint.onnx.Attrs;
import io.flowrecon.adjoint.onnx.Shape;
import io.flowrecon.adjoint.onnx.ShapeInference;
import io.flowrecon.adjoint.onnx.ShapeInference.Env;
import io.flowrecon.adjoint.onnx.ShapeInference.Result;
import io.flowrecon.adjoint.onnx.Tensors;
import io.flowrecon.adjoint.onnx.ValueType;
import io.flowrecon.adjoint.onnx.proto.AttributeProto;
import io.flowrecon.adjoint.onnx.proto.NodeProto;
import io.flowrecon.adjoint.onnx.proto.TensorProto;
import io.flowrecon.adjoint.onnx.proto.TensorProto.DataType;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Values known while the graph is built: Constant (its value is recorded, so shapes computed from it stay
 * static; it has no inputs, so its adjoint is empty), ConstantOfShape, and Shape (folded to its value).
 */
final class ConstantOperators {
    private ConstantOperators() {
    }

    static void register(OperatorTable.Builder b) {
        b.define("Constant", (node, env) -> constant(node), VjpContext::noGrads);
        b.shapeOnly("ConstantOfShape", ConstantOperators::constantOfShape);
        b.shapeOnly("Shape", ConstantOperators::shapeOf);
    }

    private static Result constant(NodeProto node) {
        if (node.getAttributeCount() != 1) {
            throw ShapeInference.unsupported(node, "a Constant needs exactly one value attribute");
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
            default -> throw ShapeInference.unsupported(node, "Constant attribute '" + a.getName()
                    + "' is not supported");
        };
        return new Result(List.of(new ValueType(Tensors.dataType(t), Tensors.shape(t))), List.of(t));
    }

    /** Folded when the value is an int64 and the result small: torch fills Expand shapes and pads with it. */
    private static Result constantOfShape(NodeProto node, Env env) {
        long[] dims = ShapeInference.constLongs(node, env, 0, "shape");
        Optional<TensorProto> value = Attrs.find(node, "value").map(AttributeProto::getT);
        DataType type = value.map(Tensors::dataType).orElse(DataType.FLOAT);
        Shape shape = Shape.of(dims);
        if (type == DataType.INT64 && shape.size() <= 64) {
            long[] filled = new long[(int) shape.size()];
            Arrays.fill(filled, Tensors.toLongs(value.get())[0]);
            return new Result(List.of(new ValueType(type, shape)), List.of(Tensors.int64s("", filled, dims)));
        }
        return Result.of(new ValueType(type, shape));
    }

    private static Result shapeOf(NodeProto node, Env env) {
        long[] dims = ShapeInference.in(node, env, 0).shape().dims();
        int r = dims.length;
        long start = Attrs.getInt(node, "start", 0);
        long end = Attrs.getInt(node, "end", r);
        int from = (int) ShapeInference.clamp(start < 0 ? start + r : start, 0, r);
        int to = (int) ShapeInference.clamp(end < 0 ? end + r : end, 0, r);
        long[] value = Arrays.copyOfRange(dims, from, Math.max(from, to));
        TensorProto t = Tensors.int64s("", value, value.length);
        return new Result(List.of(ValueType.int64s(value.length)), List.of(t));
    }
}
