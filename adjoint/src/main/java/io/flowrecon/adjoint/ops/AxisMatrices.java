package io.flowrecon.adjoint.ops;

import io.flowrecon.adjoint.VjpContext;
import io.flowrecon.adjoint.onnx.Tensors;
import io.flowrecon.adjoint.onnx.proto.TensorProto.DataType;

/**
 * The adjoint of a linear map that acts along one axis only (resampling, strided selection): with R [out, in]
 * the forward map y[..., o, ...] = sum_i R[o, i] x[..., i, ...], the adjoint is dx = R^T applied to dy along
 * that axis, computed as one MatMul with the axis moved last.
 */
final class AxisMatrices {
    private AxisMatrices() {
    }

    /** dx[..., i, ...] = sum_o r[o * in + i] dy[..., o, ...] along {@code axis}; float32 only. */
    static String transposeAlong(VjpContext c, String dy, int axis, float[] r, int out, int in, String hint) {
        if (c.elemType(dy) != DataType.FLOAT) {
            throw c.refuse("only float32 values are differentiated here (the axis matrices are float32)");
        }
        int rank = c.shape(dy).rank();
        String matrix = c.graph().initializer(Tensors.floats(c.graph().freshName(hint + "_axis" + axis), r, out,
                in));
        long[] swap = new long[rank];
        for (int i = 0; i < rank; i++) {
            swap[i] = i;
        }
        swap[axis] = rank - 1;
        swap[rank - 1] = axis;
        String moved = axis == rank - 1 ? dy : c.ops().transpose(dy, swap);
        String applied = c.ops().matMul(moved, matrix);
        return axis == rank - 1 ? applied : c.ops().transpose(applied, swap);
    }
}
