package io.flowrecon.api.limits;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Per-owner quotas: each owner is counted on its own, so that one owner filling the queue does not starve the
 * others. Exceeding one is a 429 with {@code Retry-After}; the environment variables are FLOWRECON_QUOTAS_*.
 */
@ConfigMapping(prefix = "flowrecon.quotas")
public interface QuotaConfig {

    /** Jobs one owner may have waiting (status QUEUED) at once, counting those a submission would add. */
    @WithDefault("20000")
    int maxQueuedJobs();

    /** Jobs one experiment of an owner may expand to (below the hard cap {@code flowrecon.experiments.max-jobs}). */
    @WithDefault("10000")
    int maxExperimentJobs();

    /** What {@code Retry-After} says: about how long a worker pool takes to drain a share of the queue. */
    @WithDefault("60")
    int retryAfterSeconds();
}
