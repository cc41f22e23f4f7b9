package io.flowrecon.worker.optim;

/**
 * A differentiable objective over a batch of independent latents: image b's loss depends only on row b.
 * Latents and gradients are row-major {@code [batch, dimension]}.
 */
public interface BatchObjective {

    int batch();

    int dimension();

    /**
     * Evaluates every row.
     *
     * @param latents   {@code [batch * dimension]}, read only
     * @param losses    out: {@code [batch]}, loss of each row
     * @param gradients out: {@code [batch * dimension]}, gradient of each row's loss with respect to that row
     */
    void evaluate(float[] latents, double[] losses, float[] gradients);
}
