package io.flowrecon.api.limits;

import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** Checks the per-owner quotas ({@link QuotaConfig}) where jobs are written. */
@ApplicationScoped
public class Quotas {

    private final QuotaConfig config;

    public Quotas(QuotaConfig config) {
        this.config = config;
    }

    /** Before any work: an experiment of {@code jobs} jobs. */
    public void checkExperimentSize(long jobs) {
        if (jobs > config.maxExperimentJobs()) {
            throw new QuotaExceededException(QuotaError.of("experiment-jobs", "the experiment expands to " + jobs
                    + " jobs; an owner's experiment may have at most " + config.maxExperimentJobs()
                    + " (flowrecon.quotas.max-experiment-jobs): split the grid", config.maxExperimentJobs(), 0, jobs),
                    config.retryAfterSeconds());
        }
    }

    /**
     * In the transaction that has just queued {@code added} jobs of {@code owner}, before its commit: refuses
     * (the caller rolls back) if the owner now has more QUEUED jobs than the quota. A per-owner advisory lock,
     * held to the end of the transaction, makes concurrent submissions of one owner count one after the other;
     * each count sees the jobs the others committed (read committed), so together they never pass the quota.
     */
    public void checkQueued(Connection connection, String owner, int added) throws SQLException {
        if (added == 0) {
            return;
        }
        try (PreparedStatement lock = connection.prepareStatement(
                "select pg_advisory_xact_lock(hashtext('flowrecon.quotas.queued'), hashtext(?))")) {
            lock.setString(1, owner);
            lock.execute();
        }
        long queued;
        try (PreparedStatement count = connection.prepareStatement(
                "select count(*) from jobs where owner = ? and status = 'QUEUED'")) {
            count.setString(1, owner);
            try (ResultSet rows = count.executeQuery()) {
                rows.next();
                queued = rows.getLong(1);
            }
        }
        if (queued > config.maxQueuedJobs()) {
            long before = queued - added;
            throw new QuotaExceededException(QuotaError.of("queued-jobs", "owner '" + owner + "' has " + before
                    + " queued jobs and this request adds " + added + "; at most " + config.maxQueuedJobs()
                    + " may wait at once (flowrecon.quotas.max-queued-jobs): retry once some have run",
                    config.maxQueuedJobs(), before, added), config.retryAfterSeconds());
        }
    }
}
