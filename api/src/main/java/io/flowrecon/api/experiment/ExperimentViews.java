package io.flowrecon.api.experiment;

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

    /** Answer to POST /api/v1/experiments: the experiment and the jobs it queued. */
    public record ExperimentCreated(UUID id, String name, int count, List<UUID> jobs) {
    }

    /**
     * GET /api/v1/experiments/{id}.
     *
     * @param counts jobs per status (every status present, zero included)
     * @param groups one row per (model, m); m is null for problems without measurements count
     */
    public record ExperimentSummary(UUID id, String name, Instant createdAt, JsonNode spec, int jobs,
                                    Map<JobStatus, Integer> counts, List<Group> groups) {
    }

    /**
     * @param succeeded jobs of the group with a PSNR (finished with a known truth)
     * @param meanPsnr  mean PSNR in dB over those, or null when none has finished
     */
    public record Group(String model, Integer m, int jobs, int succeeded, Double meanPsnr) {
    }
}
