package io.flowrecon.api.limits;

/**
 * A request that would take an owner past a quota: which limit, what it allows, what the owner has and what
 * the request asked for.
 */
public final class QuotaExceededException extends RuntimeException {

    private final QuotaError error;
    private final int retryAfterSeconds;

    QuotaExceededException(QuotaError error, int retryAfterSeconds) {
        super(error.message());
        this.error = error;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public QuotaError error() {
        return error;
    }

    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
