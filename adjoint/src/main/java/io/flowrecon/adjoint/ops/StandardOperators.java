package io.flowrecon.adjoint.ops;

import io.flowrecon.adjoint.OperatorTable;

/** Registers every operator family flowrecon ships; {@link OperatorTable#standard()} is built from it. */
public final class StandardOperators {
    private StandardOperators() {
    }

    public static void register(OperatorTable.Builder b) {
        ElementwiseOperators.register(b);
        LinearAlgebraOperators.register(b);
        ConvOperators.register(b);
        ShapeOperators.register(b);
        CopyingOperators.register(b);
        ReductionOperators.register(b);
        NormalizationOperators.register(b);
        ResizeOperator.register(b);
        ConstantOperators.register(b);
    }
}
