package io.flowrecon.worker.store;

import io.flowrecon.shared.job.JobStatus;

/** What the guarded claim of a job found. */
public sealed interface ClaimResult {

    /** The job is this worker's now; {@code attempts} counts this attempt too. */
    record Claimed(int attempts) implements ClaimResult {
    }

    /** The job already ended (a redelivery of finished work): nothing to do. */
    record AlreadyTerminal(JobStatus status) implements ClaimResult {
    }

    /** No such job row: the message is poison. */
    record Missing() implements ClaimResult {
    }
}
