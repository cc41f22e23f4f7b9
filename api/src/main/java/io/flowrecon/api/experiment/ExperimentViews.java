package io.flowrecon.api.experiment;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.flowrecon.api.experiment.summary.CellSummary;
import io.flowrecon.api.experiment.summary.Progress;

import com.fasterxml.jackson.databind.JsonNode;
import io.flowrecon.shared.job.JobStatus;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** What the experiment endpoints return. */
public final class ExperimentViews {

    private ExperimentViews() {
    }

    /**
     * Answer to POST /api/v1/experiments: the experiment and the jobs it queued.
     *
     * @param reused           jobs that took the result of an earlier identical job of the owner instead of a solve
     * @param estimatedSeconds the median solve time of each job's model (recent results, all owners) summed
     *                         and divided by the workers that finished a job in the last ten minutes (at least one)
     */
    public record ExperimentCreated(UUID id, String name, int count, List<UUID> jobs, int reused, double estimatedSeconds) {
    }

    /**
     * GET /api/v1/experiments/{id}.
     *
     * @param cancelledAt when DELETE cancelled it, or null
     * @param imageSet    the image set of a grid experiment; null for a sweep of one uploaded image
     * @param counts      jobs per status (every status present, zero included)
     * @param cells       one row per cell: every grid axis but the images and the seeds
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ExperimentSummary(UUID id, String name, Instant createdAt, Instant cancelledAt, JsonNode spec,
                                    UUID imageSet, Progress progress, Map<JobStatus, Integer> counts,
                                    List<CellSummary> cells) {
    }

    /** An experiments row as stored. */
    record ExperimentRecord(UUID id, String name, Instant createdAt, JsonNode spec, UUID imageSet, Instant cancelledAt) {
    }

    /** One line of GET /api/v1/experiments. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ExperimentListItem(UUID id, String name, Instant createdAt, Instant cancelledAt, int jobs, int done,
                                     int failed, int running, @JsonIgnore String createdAtCursor) {
    }

    /** A page of the owner's experiments; {@code nextCursor} is null on the last page. */
    public record ExperimentPage(List<ExperimentListItem> experiments, String nextCursor) {
    }

    /** Answer to DELETE /api/v1/experiments/{id}. */
    public record ExperimentCancelled(UUID id, int cancelledJobs) {
    }
}
