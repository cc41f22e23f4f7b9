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
import java.util.ArrayList;
import java.util.List;

/**
 * The outer loop both latent solvers share, over a batch of jobs: each job owns consecutive rows of the batch
 * (one for Glow, its restarts for a GAN) and runs settings.steps optimiser steps with its own progress and
 * cancellation. A job that ends (cancelled, out of steps, converged or non-finite) has its rows retired from the
 * optimiser while the others go on. The Deep Decoder's solver runs it too: its latent is the decoder's weights.
 */
public final class LatentSearch {

    /** The paper's inner L-BFGS iterations per outer step (torch max_iter). */
    static final int LBFGS_ITERATIONS_PER_STEP = 20;

    private LatentSearch() {
    }

    /** A job's rows of the batch, {@code [firstRow, firstRow + rows)}. */
    public record Job(SolverSettings settings, ProgressListener progress, int firstRow, int rows) {
    }

    /**
     * @param steps      outer steps taken
     * @param runs       batched session runs made while the job was in the batch
     * @param stopReason max-iterations, tolerance, non-finite or cancelled
     */
    public record Outcome(int steps, int runs, String stopReason) {
    }

    /** @param latents final latents of every row [rows * latent]; one outcome per job */
    public record Result(float[] latents, List<Outcome> outcomes) {
    }

    /** Each job's rows get its own settings: lr, and for L-BFGS its line search (solver.lineSearch). */
    static BatchOptimizer optimizer(List<Job> jobs, BoundObjective objective, float[] initial) {
        String kind = jobs.get(0).settings().optimizer();
        for (Job job : jobs) {
            if (!job.settings().optimizer().equals(kind)) {
                throw new IllegalArgumentException("the jobs of one batch must share solver.optimizer, got " + kind
                        + " and " + job.settings().optimizer());
            }
        }
        return switch (kind) {
            case "lbfgs" -> new Lbfgs(perRow(jobs, s -> LbfgsSettings.torchDefaults(s.lr())
                    .withMaxIter(LBFGS_ITERATIONS_PER_STEP).withStrongWolfe(s.strongWolfe())), objective, initial);
            case "adam" -> new Adam(perRow(jobs, s -> AdamSettings.torchDefaults(s.lr())), objective, initial);
            default -> throw new IllegalArgumentException("solver.optimizer '" + kind
                    + "' is not available for latent priors; allowed: lbfgs, adam");
        };
    }

    private static <T> List<T> perRow(List<Job> jobs, java.util.function.Function<SolverSettings, T> settings) {
        List<T> rows = new ArrayList<>();
        for (Job job : jobs) {
            T value = settings.apply(job.settings());
            for (int r = 0; r < job.rows(); r++) {
                rows.add(value);
            }
        }
        return rows;
    }

    /**
     * Runs the outer loop until every job has ended. Each job's progress gets its own loss (its row's, or its
     * best restart's) and its own current image; the batch's images are computed at most once per step, and only
     * when a listener asks.
     */
    public static Result run(List<Job> jobs, BoundObjective objective, float[] initial) {
        for (Job job : jobs) {
            if (job.settings().steps() < 1) {
                throw new IllegalArgumentException("solver.steps must be >= 1, got " + job.settings().steps());
            }
        }
        BatchOptimizer optimizer = optimizer(jobs, objective, initial);
        int[] steps = new int[jobs.size()];
        Outcome[] outcomes = new Outcome[jobs.size()];
        int running = jobs.size();
        while (running > 0) {
            StepReport report = optimizer.step();
            float[] current = optimizer.latents();
            BoundObjective.Images[] images = new BoundObjective.Images[1];
            for (int j = 0; j < jobs.size(); j++) {
                if (outcomes[j] != null) {
                    continue;
                }
                Job job = jobs.get(j);
                steps[j]++;
                boolean goOn = job.progress().onIteration(steps[j], progressLoss(report, job), () -> {
                    if (images[0] == null) {
                        images[0] = objective.images(current);
                    }
                    return clip(images[0].image(bestRow(images[0].measurementLosses(), job)));
                });
                String stopReason = !goOn ? "cancelled"
                        : allFinal(report, job) ? (anyNonFinite(report, job) ? StopReason.NON_FINITE.wireName() : "tolerance")
                        : steps[j] >= job.settings().steps() ? StopReason.MAX_ITERATIONS.wireName()
                        : null;
                if (stopReason != null) {
                    outcomes[j] = new Outcome(steps[j], objective.runs(), stopReason);
                    for (int r = job.firstRow(); r < job.firstRow() + job.rows(); r++) {
                        optimizer.retire(r);
                    }
                    running--;
                }
            }
        }
        return new Result(optimizer.latents(), List.of(outcomes));
    }

    /** The job's row's latest loss; for restarts, the smallest (NaN ones ignored, +inf when none is finite). */
    private static double progressLoss(StepReport report, Job job) {
        double[] losses = report.latestLosses();
        if (job.rows() == 1) {
            return losses[job.firstRow()];
        }
        double best = Double.POSITIVE_INFINITY;
        for (int r = job.firstRow(); r < job.firstRow() + job.rows(); r++) {
            if (losses[r] < best) {
                best = losses[r];
            }
        }
        return best;
    }

    /** The job's row with the smallest finite measurement loss (its first row when none is finite). */
    public static int bestRow(double[] measurementLosses, Job job) {
        int best = job.firstRow();
        for (int r = job.firstRow() + 1; r < job.firstRow() + job.rows(); r++) {
            if (Double.isFinite(measurementLosses[r])
                    && (!Double.isFinite(measurementLosses[best]) || measurementLosses[r] < measurementLosses[best])) {
                best = r;
            }
        }
        return best;
    }

    private static boolean allFinal(StepReport report, Job job) {
        for (int r = job.firstRow(); r < job.firstRow() + job.rows(); r++) {
            if (!report.stopReasons()[r].isFinal()) {
                return false;
            }
        }
        return true;
    }

    private static boolean anyNonFinite(StepReport report, Job job) {
        for (int r = job.firstRow(); r < job.firstRow() + job.rows(); r++) {
            if (report.stopReasons()[r] == StopReason.NON_FINITE) {
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
