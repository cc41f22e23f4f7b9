package io.flowrecon.worker.solve.latent;

import io.flowrecon.shared.job.SolverSettings;
import io.flowrecon.worker.engine.BoundObjective;
import io.flowrecon.worker.optim.Adam;
import io.flowrecon.worker.optim.AdamSettings;
import io.flowrecon.worker.optim.BatchOptimizer;
import io.flowrecon.worker.optim.Lbfgs;
import io.flowrecon.worker.optim.LbfgsSettings;
import io.flowrecon.worker.optim.StepReport;
import io.flowrecon.worker.optim.StopReason;
import io.flowrecon.worker.solve.ProgressListener;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * The outer loop the latent solvers share (and the Deep Decoder, whose weights are its latent): settings.steps
 * optimiser steps with progress and cancellation.
 */
public final class LatentSearch {

    /** The paper's inner L-BFGS iterations per outer step (torch max_iter). */
    static final int LBFGS_ITERATIONS_PER_STEP = 20;

    private LatentSearch() {
    }

    /**
     * @param latents    final latents [B * latent]
     * @param steps      outer steps taken
     * @param runs       objective evaluations (batched session runs)
     * @param stopReason max-iterations, tolerance, non-finite or cancelled
     */
    public record Outcome(float[] latents, int steps, int runs, String stopReason) {
    }

    static BatchOptimizer optimizer(SolverSettings settings, BoundObjective objective, float[] initial) {
        return switch (settings.optimizer()) {
            case "lbfgs" -> new Lbfgs(LbfgsSettings.torchDefaults(settings.lr()).withMaxIter(LBFGS_ITERATIONS_PER_STEP),
                    objective, initial);
            case "adam" -> new Adam(AdamSettings.torchDefaults(settings.lr()), objective, initial);
            default -> throw new IllegalArgumentException("solver.optimizer '" + settings.optimizer()
                    + "' is not available for latent priors; allowed: lbfgs, adam");
        };
    }

    /**
     * Runs the outer loop. {@code progressLoss} picks the loss reported to the listener from a step report
     * (image 0 for Glow, the best restart for GANs); {@code pickImage} picks the current estimate from the
     * batch's images (only computed when the listener asks for it).
     */
    public static Outcome run(SolverSettings settings, BoundObjective objective, float[] initial, ProgressListener progress,
                       ToDoubleFunction<StepReport> progressLoss, Function<BoundObjective.Images, float[]> pickImage) {
        if (settings.steps() < 1) {
            throw new IllegalArgumentException("solver.steps must be >= 1, got " + settings.steps());
        }
        BatchOptimizer optimizer = optimizer(settings, objective, initial);
        String stopReason = StopReason.MAX_ITERATIONS.wireName();
        int step = 0;
        while (step < settings.steps()) {
            StepReport report = optimizer.step();
            step++;
            float[] current = optimizer.latents();
            boolean goOn = progress.onIteration(step, progressLoss.applyAsDouble(report),
                    () -> clip(pickImage.apply(objective.images(current))));
            if (!goOn) {
                stopReason = "cancelled";
                break;
            }
            if (report.allFinal()) {
                stopReason = anyNonFinite(report) ? StopReason.NON_FINITE.wireName() : "tolerance";
                break;
            }
        }
        return new Outcome(optimizer.latents(), step, objective.runs(), stopReason);
    }

    private static boolean anyNonFinite(StepReport report) {
        for (StopReason reason : report.stopReasons()) {
            if (reason == StopReason.NON_FINITE) {
                return true;
            }
        }
        return false;
    }

    public static float[] clip(float[] image) {
        float[] out = new float[image.length];
        for (int i = 0; i < image.length; i++) {
            out[i] = Float.isNaN(image[i]) ? 0f : Math.min(1f, Math.max(0f, image[i]));
        }
        return out;
    }

    public static double norm(float[] latents, int offset, int length) {
        double sum = 0;
        for (int i = offset; i < offset + length; i++) {
            sum += (double) latents[i] * latents[i];
        }
        return Math.sqrt(sum);
    }
}
