package io.flowrecon.api.experiment.summary;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.UUID;

/**
 * One job of an experiment with its result, as the summaries, the CSVs and the plots read it.
 *
 * @param axes the job's grid point (every axis, the image and the seeds included)
 */
public record JobRow(UUID id, String status, String error, ObjectNode axes, Integer imageIndex, Double psnr,
                     Double ssim, Long wallMillis, Integer iterations, Double residualNorm, String modelSha256,
                     String workerId, String executionProvider, String stopReason, String provenance) {

    public boolean succeeded() {
        return "SUCCEEDED".equals(status);
    }

    public boolean finished() {
        return "SUCCEEDED".equals(status) || "FAILED".equals(status) || "CANCELLED".equals(status);
    }
}
