package io.flowrecon.worker.optim;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Batched Adam (Kingma and Ba 2015, Alg. 1) with torch's bias-correction arithmetic: one step is one batched
 * evaluation and one update of every image.
 */
public final class Adam implements BatchOptimizer {

    private final List<AdamSettings> settings;
    private final boolean[] retired;
    private final BatchObjective objective;
    private final float[] latents;
    private final float[] firstMoment;
    private final float[] secondMoment;
    private final double[] losses;
    private final float[] gradients;
    private int steps;

    public Adam(AdamSettings settings, BatchObjective objective, float[] initialLatents) {
        this(Collections.nCopies(objective.batch(), settings), objective, initialLatents);
    }

    /** One settings per row: the jobs of a batch may differ in learning rate. */
    public Adam(List<AdamSettings> perRow, BatchObjective objective, float[] initialLatents) {
        if (perRow.size() != objective.batch()) {
            throw new IllegalArgumentException("expected one Adam settings per row (" + objective.batch() + "), got "
                    + perRow.size());
        }
        int size = objective.batch() * objective.dimension();
        if (initialLatents.length != size) {
            throw new IllegalArgumentException("initial latents must have batch * dimension = " + size
                    + " values, got " + initialLatents.length);
        }
        this.settings = perRow;
        this.retired = new boolean[objective.batch()];
        this.objective = objective;
        this.latents = initialLatents.clone();
        this.firstMoment = new float[size];
        this.secondMoment = new float[size];
        this.losses = new double[objective.batch()];
        this.gradients = new float[size];
    }

    @Override
    public StepReport step() {
        objective.evaluate(latents, losses, gradients);
        steps++;
        int batch = objective.batch();
        int dimension = objective.dimension();
        StopReason[] reasons = new StopReason[batch];
        for (int b = 0; b < batch; b++) {
            boolean finite = Double.isFinite(losses[b]);
            for (int i = b * dimension; i < (b + 1) * dimension && finite; i++) {
                finite = Float.isFinite(gradients[i]);
            }
            reasons[b] = finite ? StopReason.MAX_ITERATIONS : StopReason.NON_FINITE;
            if (!finite || retired[b]) {
                continue; // a non-finite image keeps its latent; the others move on.
            }
            AdamSettings row = settings.get(b);
            double beta1 = row.beta1();
            double beta2 = row.beta2();
            double stepSize = row.lr() / (1 - Math.pow(beta1, steps));
            double secondCorrectionSqrt = Math.sqrt(1 - Math.pow(beta2, steps));
            for (int i = b * dimension; i < (b + 1) * dimension; i++) {
                double g = gradients[i];
                double m = beta1 * firstMoment[i] + (1 - beta1) * g;
                double v = beta2 * secondMoment[i] + (1 - beta2) * g * g;
                firstMoment[i] = (float) m;
                secondMoment[i] = (float) v;
                latents[i] = (float) (latents[i] - stepSize * m / (Math.sqrt(v) / secondCorrectionSqrt + row.eps()));
            }
        }
        int[] evaluations = new int[batch];
        Arrays.fill(evaluations, steps);
        return new StepReport(losses.clone(), losses.clone(), reasons, evaluations);
    }

    @Override
    public void retire(int row) {
        retired[row] = true;
    }

    @Override
    public float[] latents() {
        return latents.clone();
    }

    @Override
    public int batchEvaluations() {
        return steps;
    }
}
