package io.flowrecon.shared.operator;

/** Argument checks shared by the operators: array lengths must match the operator's shape. */
final class OperatorChecks {

    private OperatorChecks() {
    }

    static void lengths(MeasurementOperator op, float[] in, int expectedIn, float[] out, int expectedOut) {
        if (in.length != expectedIn || out.length != expectedOut) {
            throw new IllegalArgumentException(op.describe() + ": expected input length " + expectedIn
                    + " and output length " + expectedOut + ", got " + in.length + " and " + out.length);
        }
    }
}
