package io.flowrecon.worker.optim;

/**
 * Batched Adam (Kingma and Ba 2015, Alg. 1) with torch's bias-correction arithmetic: one step is one batched
 * evaluation and one update of every image.
 */
public final class Adam implements BatchOptimizer {

    private final AdamSettings settings;
    private final BatchObjective objective;
    private final float[] latents;
    private final float[] firstMoment;
    private final float[] secondMoment;
    private final double[] losses;
    private final float[] gradients;
    private int steps;

    public Adam(AdamSettings settings, BatchObjective objective, float[] initialLatents) {
        int size = objective.batch() * objective.dimension();
        if (initialLatents.length != size) {
            throw new IllegalArgumentException("initial latents must have batch * dimension = " + size
                    + " values, got " + initialLatents.length);
        }
        this.settings = settings;
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
        double beta1 = settings.beta1();
        double beta2 = settings.beta2();
        double stepSize = settings.lr() / (1 - Math.pow(beta1, steps));
        double secondCorrectionSqrt = Math.sqrt(1 - Math.pow(beta2, steps));
        int batch = objective.batch();
        int dimension = objective.dimension();
        StopReason[] reasons = new StopReason[batch];
        for (int b = 0; b < batch; b++) {
            boolean finite = Double.isFinite(losses[b]);
            for (int i = b * dimension; i < (b + 1) * dimension && finite; i++) {
                finite = Float.isFinite(gradients[i]);
            }
            reasons[b] = finite ? StopReason.MAX_ITERATIONS : StopReason.NON_FINITE;
            if (!finite) {
                continue; // a non-finite image keeps its latent; the others move on.
            }
            for (int i = b * dimension; i < (b + 1) * dimension; i++) {
                double g = gradients[i];
                double m = beta1 * firstMoment[i] + (1 - beta1) * g;
                double v = beta2 * secondMoment[i] + (1 - beta2) * g * g;
                firstMoment[i] = (float) m;
                secondMoment[i] = (float) v;
                latents[i] = (float) (latents[i] - stepSize * m / (Math.sqrt(v) / secondCorrectionSqrt + settings.eps()));
            }
        }
        int[] evaluations = new int[batch];
        java.util.Arrays.fill(evaluations, steps);
        return new StepReport(losses.clone(), losses.clone(), reasons, evaluations);
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
