package io.flowrecon.api.job;

import com.fasterxml.jackson.databind.JsonNode;
import io.flowrecon.shared.job.JobStatus;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** What the job endpoints return. */
public final class JobViews {

    private JobViews() {
    }

    /** Answer to a submission or a cancellation. */
    public record JobRef(UUID id, JobStatus status) {
    }

    /**
     * One job in full: GET /api/v1/jobs/{id}.
     *
     * @param images the kinds of GET .../image that exist now (truth, measurement, reconstruction)
     */
    public record JobView(UUID id, String owner, String model, UUID experiment, String problemKind, JobStatus status,
                          JsonNode spec, String specHash, int attempts, String workerId, String error,
                          Instant createdAt, Instant startedAt, Instant finishedAt, Instant updatedAt,
                          ResultView result, List<String> images, List<JobEvent> events) {
    }

    /** Something that happened to a job besides its status, e.g. why it went back to the queue. */
    public record JobEvent(Instant at, String kind, String detail) {
    }

    /** The metrics and provenance of a finished job (the reconstruction itself is an image endpoint). */
    public record ResultView(Double psnr, Double ssim, double residualNorm, Double latentNorm, int iterations,
                             int evaluations, long wallMillis, String workerId, String executionProvider,
                             String modelSha256, String stopReason, JsonNode provenance, Instant createdAt) {
    }

    /** One row of a history page. */
    public record JobSummary(UUID id, String model, UUID experiment, String problemKind, JobStatus status,
                             Instant createdAt, Instant finishedAt, Double psnr, Double ssim) {
    }

    /** A history page; {@code nextCursor} is null on the last page. */
    public record JobPage(List<JobSummary> items, String nextCursor) {
    }

    /** One iteration of the solver's trace. */
    public record ProgressPoint(int iteration, double loss, Double psnr, long elapsedMillis) {
    }

    public record Progress(UUID jobId, JobStatus status, List<ProgressPoint> items) {
    }
}
