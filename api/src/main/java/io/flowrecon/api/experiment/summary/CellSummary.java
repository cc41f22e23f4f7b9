package io.flowrecon.api.experiment.summary;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.UUID;

/**
 * One cell of an experiment: every grid axis but the images and the seeds fixed.
 *
 * @param axes             the cell's axis values
 * @param jobs             jobs in the cell
 * @param succeeded        of which finished with a result
 * @param failed           of which failed
 * @param psnr             over the succeeded jobs with a known truth, in dB
 * @param ssim             likewise
 * @param medianWallMillis median solve time of the succeeded jobs; null when none
 * @param failures         the failed jobs and why (at most {@link ExperimentSummaries#FAILURES_PER_CELL})
 */
public record CellSummary(ObjectNode axes, int jobs, int succeeded, int failed, Stat psnr, Stat ssim,
                          Double medianWallMillis, List<Failure> failures) {

    public record Failure(UUID job, String reason) {
    }
}
