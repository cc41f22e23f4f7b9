package io.flowrecon.worker.optim;

import java.util.Collections;
import java.util.List;

/**
 * Batched L-BFGS with the semantics of {@code torch.optim.LBFGS}: each image of the batch runs its own
 * L-BFGS (own history, step and stopping), and every round of objective evaluations is one batched call.
 */
public final class Lbfgs implements BatchOptimizer {

    private final BatchObjective objective;
    private final LbfgsImage[] images;
    private final boolean[] retired;
    private final int dimension;
    private final float[] requestBuffer;
    private final double[] losses;
    private final float[] gradients;
    private int batchEvaluations;

    /** @param initialLatents {@code [batch * dimension]}, e.g. all zeros for Glow (the paper's z0 = 0) */
    public Lbfgs(LbfgsSettings settings, BatchObjective objective, float[] initialLatents) {
        this(Collections.nCopies(objective.batch(), settings), objective, initialLatents);
    }

    /** One settings per row: the jobs of a batch may differ in step length and tolerances. */
    public Lbfgs(List<LbfgsSettings> perRow, BatchObjective objective, float[] initialLatents) {
        this.objective = objective;
        this.dimension = objective.dimension();
        int batch = objective.batch();
        if (initialLatents.length != batch * dimension) {
            throw new IllegalArgumentException("initial latents must have batch * dimension = " + batch * dimension
                    + " values, got " + initialLatents.length);
        }
        if (perRow.size() != batch) {
            throw new IllegalArgumentException("expected one L-BFGS settings per row (" + batch + "), got " + perRow.size());
        }
        this.images = new LbfgsImage[batch];
        this.retired = new boolean[batch];
        for (int b = 0; b < batch; b++) {
            float[] z0 = new float[dimension];
            System.arraycopy(initialLatents, b * dimension, z0, 0, dimension);
            images[b] = new LbfgsImage(perRow.get(b), z0);
        }
        this.requestBuffer = new float[batch * dimension];
        this.losses = new double[batch];
        this.gradients = new float[batch * dimension];
    }

    @Override
    public StepReport step() {
        for (int b = 0; b < images.length; b++) {
            if (!retired[b]) {
                images[b].beginStep();
            }
        }
        while (anyWantsEvaluation()) {
            for (int b = 0; b < images.length; b++) {
                images[b].writeRequest(requestBuffer, b * dimension);
            }
            objective.evaluate(requestBuffer, losses, gradients);
            batchEvaluations++;
            for (int b = 0; b < images.length; b++) {
                if (images[b].wantsEvaluation()) {
                    images[b].accept(losses[b], gradients, b * dimension);
                }
            }
        }
        return report();
    }

    private boolean anyWantsEvaluation() {
        for (LbfgsImage image : images) {
            if (image.wantsEvaluation()) {
                return true;
            }
        }
        return false;
    }

    private StepReport report() {
        int batch = images.length;
        double[] start = new double[batch];
        double[] latest = new double[batch];
        StopReason[] reasons = new StopReason[batch];
        int[] evaluations = new int[batch];
        for (int b = 0; b < batch; b++) {
            start[b] = images[b].startLoss();
            latest[b] = images[b].latestLoss();
            reasons[b] = images[b].stopReason();
            evaluations[b] = images[b].evaluations();
        }
        return new StepReport(start, latest, reasons, evaluations);
    }

    @Override
    public void retire(int row) {
        retired[row] = true;
    }

    @Override
    public float[] latents() {
        float[] out = new float[images.length * dimension];
        for (int b = 0; b < images.length; b++) {
            System.arraycopy(images[b].latent(), 0, out, b * dimension, dimension);
        }
        return out;
    }

    @Override
    public int batchEvaluations() {
        return batchEvaluations;
    }
}
