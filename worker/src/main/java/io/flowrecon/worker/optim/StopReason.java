package io.flowrecon.worker.optim;

/** Why an image's optimiser step ended; {@link #wireName()} is what lands in results.stop_reason. */
public enum StopReason {
    /** The step used its {@code maxIter} iterations (the normal end of a torch L-BFGS step; every Adam step). */
    MAX_ITERATIONS("max-iterations"),
    /** The step used its {@code maxEval} objective evaluations. */
    MAX_EVALUATIONS("max-evaluations"),
    /** max |gradient| <= toleranceGrad: first-order optimal. */
    TOLERANCE_GRAD("tolerance-grad"),
    /** Directional derivative, step or loss change below toleranceChange: no more progress. */
    TOLERANCE_CHANGE("tolerance-change"),
    /** The loss or the gradient was NaN or infinite; the image stops where it is. */
    NON_FINITE("non-finite");

    private final String wireName;

    StopReason(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** True when further steps cannot move the image (the optimum or a numeric failure was reached). */
    public boolean isFinal() {
        return this == TOLERANCE_GRAD || this == NON_FINITE;
    }
}
