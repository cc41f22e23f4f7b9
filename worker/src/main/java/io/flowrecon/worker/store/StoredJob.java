package io.flowrecon.worker.store;

import java.util.UUID;

/**
 * A job row and its binary inputs as stored (claim check), not yet parsed.
 *
 * @param specJson          the jobs.spec jsonb, as text
 * @param truthPng          job_inputs.truth_png or null
 * @param measurementPng    job_inputs.measurement_png or null
 * @param measurementValues job_inputs.measurement_values (float32 little-endian) or null
 */
public record StoredJob(UUID id, String modelId, String specJson, int attempts,
                        byte[] truthPng, byte[] measurementPng, byte[] measurementValues) {

    public boolean hasInputs() {
        return truthPng != null || measurementPng != null || measurementValues != null;
    }
}
