package io.flowrecon.shared.operator;

/** A = I (denoising): y = x. */
public final class IdentityOperator implements MeasurementOperator {

    private final int n;

    public IdentityOperator(int n) {
        if (n <= 0) {
            throw new IllegalArgumentException("identity operator: n must be positive, got " + n);
        }
        this.n = n;
    }

    @Override
    public int rows() {
        return n;
    }

    @Override
    public int cols() {
        return n;
    }

    @Override
    public void apply(float[] x, float[] y) {
        OperatorChecks.lengths(this, x, n, y, n);
        System.arraycopy(x, 0, y, 0, n);
    }

    @Override
    public void adjoint(float[] y, float[] x) {
        OperatorChecks.lengths(this, y, n, x, n);
        System.arraycopy(y, 0, x, 0, n);
    }

    @Override
    public String describe() {
        return "identity(n=" + n + ")";
    }
}
