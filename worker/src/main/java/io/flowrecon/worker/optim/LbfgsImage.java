package io.flowrecon.worker.optim;

import java.util.ArrayList;
import java.util.List;

/**
 * One image's L-BFGS, following {@code torch.optim.LBFGS.step} statement by statement, but turned inside out:
 * instead of calling the closure it states which point it needs evaluated next ({@link #writeRequest}) and
 * resumes when the result arrives ({@link #accept}). State carries over between outer steps as torch's does
 * (history, direction, step, iteration count).
 */
final class LbfgsImage {

    private enum Phase { INITIAL_EVALUATION, AFTER_MOVE, LINE_SEARCH, DONE }

    private final LbfgsSettings settings;
    private final float[] x;

    // Carried across outer steps (torch's optimizer state).
    private float[] flatGrad;
    private float[] prevFlatGrad;
    private float[] d;
    private double t;
    private final List<float[]> oldDirs = new ArrayList<>();
    private final List<float[]> oldSteps = new ArrayList<>();
    private final List<Double> ro = new ArrayList<>();
    private double hDiag = 1;
    private int totalEvaluations;
    private double loss = Double.NaN;
    private double prevLoss;

    // Per outer step.
    private Phase phase = Phase.DONE;
    private int iterations;
    private int stepEvaluations;
    private double startLoss = Double.NaN;
    private boolean optimal;
    private StopReason stopReason = StopReason.MAX_ITERATIONS;
    private StrongWolfe search;
    private float[] searchOrigin;

    // Departure from torch: a move that lands where the objective is not finite (a flow prior's reverse pass
    // overflows far from its data) is halved back towards the last finite point instead of ending the solve.
    static final int MAX_NON_FINITE_BACKTRACKS = 40;
    // When halving runs out, the direction itself is unusable (near a trained flow's overflow boundary the
    // curvature pairs make |d| grow to 1e7 and beyond): the image goes back to its last finite point, forgets
    // its L-BFGS memory and starts again with a scaled gradient step, at most this many times per solve.
    static final int MAX_MEMORY_RESETS = 5;
    private boolean movedSinceFinite;
    private int backtracks;
    private int memoryResets;
    private float[] lastFinite;
    private boolean freshStart = true;

    LbfgsImage(LbfgsSettings settings, float[] initialLatent) {
        this.settings = settings;
        this.x = initialLatent.clone();
    }

    void beginStep() {
        phase = Phase.INITIAL_EVALUATION;
        iterations = 0;
        stepEvaluations = 0;
    }

    boolean wantsEvaluation() {
        return phase != Phase.DONE;
    }

    /** Writes the point to evaluate next (or the current point when nothing is wanted) at {@code offset}. */
    void writeRequest(float[] batch, int offset) {
        if (phase == Phase.LINE_SEARCH) {
            double step = search.trialStep();
            for (int i = 0; i < x.length; i++) {
                batch[offset + i] = (float) (searchOrigin[i] + step * d[i]);
            }
        } else {
            System.arraycopy(x, 0, batch, offset, x.length);
        }
    }

    /** Takes the loss and gradient at the requested point; the gradient is read from {@code gradients[offset..]}. */
    void accept(double f, float[] gradients, int offset) {
        float[] g = new float[x.length];
        System.arraycopy(gradients, offset, g, 0, g.length);
        totalEvaluations++;
        stepEvaluations++;
        if (!Double.isFinite(f) || !Vectors.allFinite(g)) {
            if (movedSinceFinite && phase != Phase.LINE_SEARCH && backtracks < MAX_NON_FINITE_BACKTRACKS) {
                backtracks++;
                t /= 2;
                Vectors.axpy(-t, d, x); // x was x_finite + 2t d; now x_finite + t d. Same phase, asked again.
                return;
            }
            if (movedSinceFinite && phase != Phase.LINE_SEARCH && lastFinite != null
                    && memoryResets < MAX_MEMORY_RESETS) {
                restartFromLastFinite();
                return;
            }
            if (movedSinceFinite && lastFinite != null) {
                System.arraycopy(lastFinite, 0, x, 0, x.length); // report the last point that was finite
                f = loss;
            }
            if (phase == Phase.INITIAL_EVALUATION) {
                startLoss = f;
            }
            loss = f;
            finish(StopReason.NON_FINITE);
            return;
        }
        movedSinceFinite = false;
        backtracks = 0;
        if (phase != Phase.LINE_SEARCH) {
            lastFinite = x.clone();
        }
        switch (phase) {
            case INITIAL_EVALUATION -> {
                startLoss = f;
                loss = f;
                flatGrad = g;
                if (Vectors.maxAbs(flatGrad) <= settings.toleranceGrad()) {
                    finish(StopReason.TOLERANCE_GRAD);
                } else {
                    iterate();
                }
            }
            case AFTER_MOVE -> {
                loss = f;
                flatGrad = g;
                optimal = Vectors.maxAbs(flatGrad) <= settings.toleranceGrad();
                checkConditions();
            }
            case LINE_SEARCH -> {
                search.accept(f, g);
                if (search.finished()) {
                    t = search.step();
                    loss = search.loss();
                    flatGrad = search.gradient();
                    System.arraycopy(searchOrigin, 0, x, 0, x.length);
                    Vectors.axpy(t, d, x);
                    optimal = Vectors.maxAbs(flatGrad) <= settings.toleranceGrad();
                    search = null;
                    checkConditions();
                }
            }
            case DONE -> throw new IllegalStateException("no evaluation was requested");
        }
    }

    /**
     * Back to the last finite point (whose loss and gradient are {@code loss} and {@code flatGrad}), with an empty
     * memory: the next move is torch's first one, -g scaled to length lr / |g|_1 at most.
     */
    private void restartFromLastFinite() {
        memoryResets++;
        System.arraycopy(lastFinite, 0, x, 0, x.length);
        oldDirs.clear();
        oldSteps.clear();
        ro.clear();
        hDiag = 1;
        backtracks = 0;
        movedSinceFinite = false;
        freshStart = true;
        if (phase == Phase.INITIAL_EVALUATION) {
            startLoss = loss;
        }
        iterate();
    }

    /** One L-BFGS iteration up to the point where it needs the objective. */
    private void iterate() {
        iterations++;
        boolean first = freshStart;
        freshStart = false;
        if (first) {
            d = negated(flatGrad);
            hDiag = 1;
        } else {
            updateHistory();
            d = twoLoopDirection();
        }
        if (prevFlatGrad == null) {
            prevFlatGrad = flatGrad.clone();
        } else {
            System.arraycopy(flatGrad, 0, prevFlatGrad, 0, flatGrad.length);
        }
        prevLoss = loss;
        // torch scales only the very first step by the gradient's l1 norm.
        t = first ? Math.min(1.0, 1.0 / Vectors.sumAbs(flatGrad)) * settings.lr() : settings.lr();
        double gtd = Vectors.dot(flatGrad, d);
        if (gtd > -settings.toleranceChange()) {
            finish(StopReason.TOLERANCE_CHANGE);
            return;
        }
        if (settings.strongWolfe()) {
            searchOrigin = x.clone();
            search = new StrongWolfe(d, t, loss, flatGrad, gtd, settings.toleranceChange());
            phase = Phase.LINE_SEARCH;
        } else {
            Vectors.axpy(t, d, x);
            movedSinceFinite = true;
            if (iterations != settings.maxIter()) {
                phase = Phase.AFTER_MOVE;
            } else {
                // torch skips the evaluation after the last move of a step; the next step starts with one.
                finish(StopReason.MAX_ITERATIONS);
            }
        }
    }

    private void checkConditions() {
        if (iterations == settings.maxIter()) {
            finish(StopReason.MAX_ITERATIONS);
        } else if (stepEvaluations >= settings.maxEval()) {
            finish(StopReason.MAX_EVALUATIONS);
        } else if (optimal) {
            finish(StopReason.TOLERANCE_GRAD);
        } else if (Vectors.maxAbs(d) * Math.abs(t) <= settings.toleranceChange()) {
            finish(StopReason.TOLERANCE_CHANGE);
        } else if (Math.abs(loss - prevLoss) < settings.toleranceChange()) {
            finish(StopReason.TOLERANCE_CHANGE);
        } else {
            iterate();
        }
    }

    /** Adds the pair (s, y) of the last move when it has positive curvature (y.s > 1e-10, as torch). */
    private void updateHistory() {
        float[] y = new float[x.length];
        float[] s = new float[x.length];
        for (int i = 0; i < y.length; i++) {
            y[i] = flatGrad[i] - prevFlatGrad[i];
            s[i] = (float) (d[i] * t);
        }
        double ys = Vectors.dot(y, s);
        if (ys > 1e-10) {
            if (oldDirs.size() == settings.historySize()) {
                oldDirs.remove(0);
                oldSteps.remove(0);
                ro.remove(0);
            }
            oldDirs.add(y);
            oldSteps.add(s);
            ro.add(1.0 / ys);
            hDiag = ys / Vectors.dot(y, y);
        }
    }

    /** Nocedal and Wright Alg. 7.4: the two-loop recursion for -H g. */
    private float[] twoLoopDirection() {
        int count = oldDirs.size();
        double[] alpha = new double[count];
        float[] q = negated(flatGrad);
        for (int i = count - 1; i >= 0; i--) {
            alpha[i] = Vectors.dot(oldSteps.get(i), q) * ro.get(i);
            Vectors.axpy(-alpha[i], oldDirs.get(i), q);
        }
        for (int i = 0; i < q.length; i++) {
            q[i] = (float) (q[i] * hDiag);
        }
        for (int i = 0; i < count; i++) {
            double beta = Vectors.dot(oldDirs.get(i), q) * ro.get(i);
            Vectors.axpy(alpha[i] - beta, oldSteps.get(i), q);
        }
        return q;
    }

    private void finish(StopReason reason) {
        stopReason = reason;
        phase = Phase.DONE;
    }

    private static float[] negated(float[] v) {
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = -v[i];
        }
        return out;
    }

    float[] latent() {
        return x;
    }

    double startLoss() {
        return startLoss;
    }

    double latestLoss() {
        return loss;
    }

    StopReason stopReason() {
        return stopReason;
    }

    int evaluations() {
        return totalEvaluations;
    }
}
