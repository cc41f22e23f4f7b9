package io.flowrecon.adjoint.onnx;

import io.flowrecon.adjoint.onnx.proto.TensorProto.DataType;

/** The element type and static shape of one value in a graph. */
public record ValueType(DataType elemType, Shape shape) {
    public static ValueType floats(long... dims) {
        return new ValueType(DataType.FLOAT, Shape.of(dims));
    }

    public static ValueType int64s(long... dims) {
        return new ValueType(DataType.INT64, Shape.of(dims));
    }

    public ValueType withShape(Shape newShape) {
        return new ValueType(elemType, newShape);
    }

    public ValueType withElemType(DataType newType) {
        return new ValueType(newType, shape);
    }

    @Override
    public String toString() {
        return elemType + shape.toString();
    }
}
