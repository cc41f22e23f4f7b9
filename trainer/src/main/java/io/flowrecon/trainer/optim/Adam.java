package io.flowrecon.trainer.optim;

import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Adam (Kingma &amp; Ba 2015, algorithm 1) over named parameter arrays, with a linear learning-rate warm-up and
 * gradient clipping by global norm (Pascanu et al. 2013). Kept here rather than in SameDiff's updater so that
 * its whole state (step count, first and second moments) is plain data a checkpoint can save and restore
 * exactly.
 *
 * @param settings learning rate, betas, epsilon, warm-up and clipping
 */
public final class Adam {

    /**
     * @param learningRate peak learning rate
     * @param beta1        first-moment decay
     * @param beta2        second-moment decay
     * @param epsilon      denominator guard
     * @param warmupSteps  steps over which the rate rises linearly from lr/warmupSteps to lr (0: none)
     * @param maxGradNorm  global gradient norm above which gradients are scaled down (0 or less: no clipping)
     */
    public record Settings(double learningRate, double beta1, double beta2, double epsilon, int warmupSteps,
                           double maxGradNorm) {
        public Settings {
            if (!(learningRate > 0)) {
                throw new IllegalArgumentException("learning rate must be positive, got " + learningRate);
            }
            if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
                throw new IllegalArgumentException("betas must be in [0, 1), got " + beta1 + ", " + beta2);
            }
            if (warmupSteps < 0) {
                throw new IllegalArgumentException("warm-up steps must be >= 0, got " + warmupSteps);
            }
        }

        /** The rate at (0-based) step t. */
        public double learningRateAt(long step) {
            return warmupSteps == 0 ? learningRate : learningRate * Math.min(1.0, (step + 1.0) / warmupSteps);
        }
    }

    private final Settings settings;
    private final Map<String, INDArray> firstMoments = new LinkedHashMap<>();
    private final Map<String, INDArray> secondMoments = new LinkedHashMap<>();
    private long step;

    public Adam(Settings settings) {
        this.settings = settings;
    }

    public Settings settings() {
        return settings;
    }

    /** Steps taken so far. */
    public long step() {
        return step;
    }

    /**
     * One update: parameters -= lr_t * mhat / (sqrt(vhat) + eps), in place. Gradients are scaled in place when
     * clipped. Returns the global gradient norm before clipping.
     */
    public double update(Map<String, INDArray> parameters, Map<String, INDArray> gradients) {
        double sumSquares = 0;
        for (String name : parameters.keySet()) {
            double norm = gradient(gradients, name).norm2Number().doubleValue();
            sumSquares += norm * norm;
        }
        double norm = Math.sqrt(sumSquares);
        double scale = settings.maxGradNorm() > 0 && norm > settings.maxGradNorm() ? settings.maxGradNorm() / norm : 1;
        double lr = settings.learningRateAt(step);
        step++;
        double bias1 = 1 - Math.pow(settings.beta1(), step);
        double bias2 = 1 - Math.pow(settings.beta2(), step);
        double stepSize = lr * Math.sqrt(bias2) / bias1;
        for (Map.Entry<String, INDArray> e : parameters.entrySet()) {
            INDArray raw = gradient(gradients, e.getKey());
            INDArray g = scale != 1 ? raw.mul(scale) : raw;
            INDArray m = firstMoments.computeIfAbsent(e.getKey(), k -> g.ulike());
            INDArray v = secondMoments.computeIfAbsent(e.getKey(), k -> g.ulike());
            m.muli(settings.beta1()).addi(g.mul(1 - settings.beta1()));
            v.muli(settings.beta2()).addi(g.mul(g).muli(1 - settings.beta2()));
            // Kingma & Ba's efficient form: eps-hat = eps * sqrt(1 - beta2^t)
            INDArray denominator = Transforms.sqrt(v, true).addi(settings.epsilon() * Math.sqrt(bias2));
            e.getValue().subi(m.div(denominator).muli(stepSize));
        }
        return norm;
    }

    private static INDArray gradient(Map<String, INDArray> gradients, String name) {
        INDArray g = gradients.get(name);
        if (g == null) {
            throw new IllegalStateException("no gradient for parameter " + name);
        }
        return g;
    }

    /** The state a checkpoint saves: step count and both moments per parameter (live arrays). */
    public State state() {
        return new State(step, Map.copyOf(firstMoments), Map.copyOf(secondMoments));
    }

    /** Restores a saved state (arrays are copied). */
    public void restore(State state) {
        step = state.step();
        firstMoments.clear();
        secondMoments.clear();
        state.firstMoments().forEach((k, v) -> firstMoments.put(k, v.dup()));
        state.secondMoments().forEach((k, v) -> secondMoments.put(k, v.dup()));
    }

    public record State(long step, Map<String, INDArray> firstMoments, Map<String, INDArray> secondMoments) {
    }
}
