package io.flowrecon.shared.messaging;

/**
 * The small message the outbox relay publishes for each job (claim check: images and
 * measurements stay in PostgreSQL).
 */
public record JobMessage(String jobId, String modelId, String specHash) {
}
