package io.flowrecon.worker.optim;

/**
 * The strong-Wolfe line search of {@code torch.optim.lbfgs._strong_wolfe} (after minFunc, Nocedal and Wright
 * Alg. 3.5/3.6: bracketing, then zoom with safeguarded cubic interpolation), written as a resumable machine:
 * {@link #trialStep()} names the step t to evaluate at x + t d, {@link #accept} takes f and g there. This lets
 * images of one batch search independently while sharing each batched objective call.
 */
final class StrongWolfe {

    private static final double C1 = 1e-4;
    private static final double C2 = 0.9;
    private static final int MAX_TRIALS = 25;

    private enum Phase { BRACKET, ZOOM, FINISHED }

    private final float[] direction;
    private final double f0;
    private final float[] g0;
    private final double gtd0;
    private final double directionMaxAbs;
    private final double toleranceChange;

    private Phase phase = Phase.BRACKET;
    private double t;
    private int trials;
    private int evaluations;

    // Bracketing phase: the previous trial.
    private double tPrev;
    private double fPrev;
    private float[] gPrev;
    private double gtdPrev;

    // Zoom phase: two bracket ends (or one when the first phase already met the conditions).
    private final double[] bracketT = new double[2];
    private final double[] bracketF = new double[2];
    private final float[][] bracketG = new float[2][];
    private final double[] bracketGtd = new double[2];
    private int low;
    private int high;
    private boolean insufficientProgress;

    StrongWolfe(float[] direction, double initialStep, double f0, float[] g0, double gtd0, double toleranceChange) {
        this.direction = direction;
        this.t = initialStep;
        this.f0 = f0;
        this.g0 = g0;
        this.gtd0 = gtd0;
        this.directionMaxAbs = Vectors.maxAbs(direction);
        this.toleranceChange = toleranceChange;
        this.tPrev = 0;
        this.fPrev = f0;
        this.gPrev = g0;
        this.gtdPrev = gtd0;
    }

    boolean finished() {
        return phase == Phase.FINISHED;
    }

    /** The step at which the objective must be evaluated next; valid while not {@link #finished()}. */
    double trialStep() {
        return t;
    }

    int evaluations() {
        return evaluations;
    }

    /** Result after {@link #finished()}: the accepted step, its loss and gradient. */
    double step() {
        return bracketT[low];
    }

    double loss() {
        return bracketF[low];
    }

    float[] gradient() {
        return bracketG[low];
    }

    /** Takes the loss and gradient at x + trialStep() * d. */
    void accept(double fNew, float[] gNew) {
        evaluations++;
        double gtdNew = Vectors.dot(gNew, direction);
        if (phase == Phase.BRACKET) {
            acceptBracketing(fNew, gNew, gtdNew);
        } else {
            acceptZoom(fNew, gNew, gtdNew);
        }
    }

    private void acceptBracketing(double fNew, float[] gNew, double gtdNew) {
        if (trials >= MAX_TRIALS) {
            // Out of trials while still bracketing: fall back to the interval [0, t].
            setBracket(0, 0, f0, g0, gtd0);
            setBracket(1, t, fNew, gNew, gtdNew);
            enterZoom();
            return;
        }
        if (fNew > f0 + C1 * t * gtd0 || (trials > 1 && fNew >= fPrev)) {
            setBracket(0, tPrev, fPrev, gPrev, gtdPrev);
            setBracket(1, t, fNew, gNew, gtdNew);
            enterZoom();
            return;
        }
        if (Math.abs(gtdNew) <= -C2 * gtd0) {
            // Both strong-Wolfe conditions hold at t.
            setBracket(0, t, fNew, gNew, gtdNew);
            low = 0;
            phase = Phase.FINISHED;
            return;
        }
        if (gtdNew >= 0) {
            setBracket(0, tPrev, fPrev, gPrev, gtdPrev);
            setBracket(1, t, fNew, gNew, gtdNew);
            enterZoom();
            return;
        }
        double minStep = t + 0.01 * (t - tPrev);
        double maxStep = t * 10;
        double next = cubicMinimum(tPrev, fPrev, gtdPrev, t, fNew, gtdNew, minStep, maxStep);
        tPrev = t;
        fPrev = fNew;
        gPrev = gNew;
        gtdPrev = gtdNew;
        t = next;
        trials++;
    }

    private void enterZoom() {
        phase = Phase.ZOOM;
        pickLowHigh();
        insufficientProgress = false;
        nextZoomTrial();
    }

    private void nextZoomTrial() {
        if (trials >= MAX_TRIALS || Math.abs(bracketT[1] - bracketT[0]) * directionMaxAbs < toleranceChange) {
            finishZoom();
            return;
        }
        double lo = Math.min(bracketT[0], bracketT[1]);
        double hi = Math.max(bracketT[0], bracketT[1]);
        double trial = cubicMinimum(bracketT[0], bracketF[0], bracketGtd[0], bracketT[1], bracketF[1], bracketGtd[1], lo, hi);
        // Keep trials at least 10% of the bracket away from its ends when progress stalls (as torch does).
        double eps = 0.1 * (hi - lo);
        if (Math.min(hi - trial, trial - lo) < eps) {
            if (insufficientProgress || trial >= hi || trial <= lo) {
                trial = Math.abs(trial - hi) < Math.abs(trial - lo) ? hi - eps : lo + eps;
                insufficientProgress = false;
            } else {
                insufficientProgress = true;
            }
        } else {
            insufficientProgress = false;
        }
        t = trial;
        trials++;
    }

    private void acceptZoom(double fNew, float[] gNew, double gtdNew) {
        if (fNew > f0 + C1 * t * gtd0 || fNew >= bracketF[low]) {
            setBracket(high, t, fNew, gNew, gtdNew);
            pickLowHigh();
        } else {
            boolean wolfe = Math.abs(gtdNew) <= -C2 * gtd0;
            if (!wolfe && gtdNew * (bracketT[high] - bracketT[low]) >= 0) {
                // The old low end becomes the high end.
                setBracket(high, bracketT[low], bracketF[low], bracketG[low], bracketGtd[low]);
            }
            setBracket(low, t, fNew, gNew, gtdNew);
            if (wolfe) {
                phase = Phase.FINISHED;
                return;
            }
        }
        nextZoomTrial();
    }

    private void finishZoom() {
        phase = Phase.FINISHED;
    }

    private void pickLowHigh() {
        if (bracketF[0] <= bracketF[1]) {
            low = 0;
            high = 1;
        } else {
            low = 1;
            high = 0;
        }
    }

    private void setBracket(int i, double step, double f, float[] g, double gtd) {
        bracketT[i] = step;
        bracketF[i] = f;
        bracketG[i] = g;
        bracketGtd[i] = gtd;
    }

    /**
     * Minimiser of the cubic through (x1, f1, g1) and (x2, f2, g2), clamped to [lo, hi]; the midpoint when the
     * cubic has no real minimiser (minFunc's polyinterp for two points, as torch's _cubic_interpolate).
     */
    static double cubicMinimum(double x1, double f1, double g1, double x2, double f2, double g2, double lo, double hi) {
        double d1 = g1 + g2 - 3 * (f1 - f2) / (x1 - x2);
        double d2Square = d1 * d1 - g1 * g2;
        if (d2Square >= 0) {
            double d2 = Math.sqrt(d2Square);
            double minPos = x1 <= x2
                    ? x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2))
                    : x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2));
            if (!Double.isNaN(minPos)) {
                return Math.min(Math.max(minPos, lo), hi);
            }
        }
        return (lo + hi) / 2;
    }
}
