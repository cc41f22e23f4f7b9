package io.flowrecon.shared.operator;

/**
 * A linear measurement operator A: R^n -> R^m, acting on images flattened in CHW order.
 * Implementations know their shape and apply A and its transpose without materialising
 * more than they must.
 */
public interface MeasurementOperator {

    /** m, the number of measurements. */
    int rows();

    /** n, the number of image values. */
    int cols();

    /** y = A x; {@code x.length == cols()}, {@code y.length == rows()}. */
    void apply(float[] x, float[] y);

    /** x = A^T y; {@code y.length == rows()}, {@code x.length == cols()}. */
    void adjoint(float[] y, float[] x);

    /** Short description for provenance, e.g. "gaussian(m=1500, n=12288, seed=7)". */
    String describe();
}
