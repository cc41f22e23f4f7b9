package io.flowrecon.worker.store;

/**
 * One row of a job's per-iteration trace.
 *
 * @param psnr null where the truth is unknown or the iteration was not scored
 */
public record ProgressRow(int iteration, double loss, Double psnr, long elapsedMillis) {
}
