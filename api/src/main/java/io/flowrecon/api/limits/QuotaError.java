package io.flowrecon.api.limits;

/**
 * The body of a 429.
 *
 * @param limit     which quota: {@code queued-jobs} or {@code experiment-jobs}
 * @param allowed   the quota
 * @param current   what the owner has now (queued jobs; 0 for an experiment's size)
 * @param requested what the request would add
 */
public record QuotaError(String error, String message, String limit, long allowed, long current, long requested) {

    static QuotaError of(String limit, String message, long allowed, long current, long requested) {
        return new QuotaError("quota-exceeded", message, limit, allowed, current, requested);
    }
}
