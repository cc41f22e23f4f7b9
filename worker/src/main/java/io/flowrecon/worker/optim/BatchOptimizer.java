package io.flowrecon.worker.optim;

/** An optimiser over a batch of latents, advanced one outer step at a time. */
public sealed interface BatchOptimizer permits Lbfgs, Adam {

    /** One outer step for every image (torch: one {@code optimizer.step(closure)}). */
    StepReport step();

    /** A copy of the current latents, {@code [batch * dimension]}. */
    float[] latents();

    /**
     * Takes a row out of further steps (its job ended: cancelled, out of steps, converged); the row keeps its
     * latent and is still evaluated with the batch, but it neither moves nor asks for evaluations of its own.
     */
    void retire(int row);

    /** Calls of {@link BatchObjective#evaluate} made so far (each evaluates the whole batch). */
    int batchEvaluations();
}
