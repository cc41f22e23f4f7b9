package io.flowrecon.shared.job;

/**
 * The binary inputs of a job, stored in PostgreSQL (claim check), never sent through Kafka.
 * Exactly one of {@code truthPng} (measurements are simulated from it), {@code measurementPng}
 * (uploaded noisy or masked image) or {@code measurementValues} (uploaded vector y) is set.
 *
 * @param shape the image shape the reconstruction has
 */
public record JobInputs(byte[] truthPng, byte[] measurementPng, float[] measurementValues, ImageShape shape) {

    public boolean hasTruth() {
        return truthPng != null;
    }
}
