package io.flowrecon.worker.optim;

/**
 * Settings of {@link Lbfgs}, named and defaulted as in {@code torch.optim.LBFGS}.
 *
 * @param lr              step length (the first iteration ever uses min(1, 1/||g||_1) * lr)
 * @param maxIter         iterations per outer step
 * @param maxEval         objective evaluations per outer step
 * @param historySize     curvature pairs kept
 * @param toleranceGrad   stop when max |g| <= this
 * @param toleranceChange stop when the directional derivative, the step or the loss change is below this
 * @param strongWolfe     strong-Wolfe line search (c1 1e-4, c2 0.9, 25 trials) instead of a fixed step
 */
public record LbfgsSettings(double lr, int maxIter, int maxEval, int historySize, double toleranceGrad,
                            double toleranceChange, boolean strongWolfe) {

    public LbfgsSettings {
        if (!(lr > 0) || !Double.isFinite(lr)) {
            throw new IllegalArgumentException("lbfgs lr must be a positive finite number, got " + lr);
        }
        if (maxIter < 1) {
            throw new IllegalArgumentException("lbfgs maxIter must be >= 1, got " + maxIter);
        }
        if (maxEval < 1) {
            throw new IllegalArgumentException("lbfgs maxEval must be >= 1, got " + maxEval);
        }
        if (historySize < 1) {
            throw new IllegalArgumentException("lbfgs historySize must be >= 1, got " + historySize);
        }
        if (toleranceGrad < 0 || toleranceChange < 0) {
            throw new IllegalArgumentException("lbfgs tolerances must be >= 0");
        }
    }

    /** torch's defaults for a given lr: max_iter 20, max_eval = max_iter * 5 / 4, history 100, tolerances 1e-7 / 1e-9. */
    public static LbfgsSettings torchDefaults(double lr) {
        return new LbfgsSettings(lr, 20, 20 * 5 / 4, 100, 1e-7, 1e-9, false);
    }

    /** The paper's Glow setting (Asim et al. 2020): lr 0.1, 20 iterations per step, no line search. */
    public static LbfgsSettings paper() {
        return torchDefaults(0.1);
    }

    public LbfgsSettings withStrongWolfe(boolean enabled) {
        return new LbfgsSettings(lr, maxIter, maxEval, historySize, toleranceGrad, toleranceChange, enabled);
    }

    public LbfgsSettings withMaxIter(int iterations) {
        return new LbfgsSettings(lr, iterations, iterations * 5 / 4, historySize, toleranceGrad, toleranceChange, strongWolfe);
    }
}
