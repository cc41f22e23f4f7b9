package io.flowrecon.shared.job;

/** A validated submission: the spec (stored as jsonb) and its binary inputs (stored as blobs). */
public record Submission(JobSpec spec, JobInputs inputs) {
}
