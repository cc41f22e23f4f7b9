package io.flowrecon.worker.optim;

/**
 * What one outer step did to each image of the batch.
 *
 * @param startLosses  loss at the point where the step began (what torch's {@code step()} returns)
 * @param latestLosses the most recently evaluated loss of each image. Without line search torch does not
 *                     re-evaluate after the last inner move, so this is the loss one move before the final point
 * @param stopReasons  why each image's step ended
 * @param evaluations  objective evaluations each image has used since the optimiser started
 */
public record StepReport(double[] startLosses, double[] latestLosses, StopReason[] stopReasons, int[] evaluations) {

    /** True when every image ended its step for a reason further steps cannot change. */
    public boolean allFinal() {
        for (StopReason reason : stopReasons) {
            if (!reason.isFinal()) {
                return false;
            }
        }
        return true;
    }
}
