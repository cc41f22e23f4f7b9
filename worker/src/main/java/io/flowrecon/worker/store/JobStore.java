package io.flowrecon.worker.store;

import io.flowrecon.shared.job.JobStatus;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.UUID;

/**
 * The job rows as the worker sees them: claim, load, fail, and ask whether a running job is
 * still ours. Every state change is a guarded update so that two workers (or a worker and a
 * user cancelling) can never both win.
 */
public final class JobStore {

    private final DataSource dataSource;

    public JobStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Takes the job for this worker. QUEUED and RUNNING jobs can be taken: RUNNING means an
     * earlier attempt ended without finishing (its worker died or released it), and the
     * share group only redelivers a record once that attempt's lock is gone.
     */
    public ClaimResult claim(UUID jobId, String workerId) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement update = c.prepareStatement("""
                    update jobs set status = 'RUNNING', worker_id = ?, attempts = attempts + 1,
                                    started_at = now(), updated_at = now(), error = null
                     where id = ? and status in ('QUEUED', 'RUNNING')
                    returning attempts""")) {
                update.setString(1, workerId);
                update.setObject(2, jobId);
                try (ResultSet rs = update.executeQuery()) {
                    if (rs.next()) {
                        return new ClaimResult.Claimed(rs.getInt(1));
                    }
                }
            }
            Optional<JobStatus> status = status(c, jobId);
            return status.<ClaimResult>map(ClaimResult.AlreadyTerminal::new).orElseGet(ClaimResult.Missing::new);
        }
    }

    /** The job's spec and inputs; empty when the row is gone. */
    public Optional<StoredJob> load(UUID jobId) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement select = c.prepareStatement("""
                     select j.model_id, j.spec::text, j.attempts, i.truth_png, i.measurement_png, i.measurement_values
                       from jobs j left join job_inputs i on i.job_id = j.id
                      where j.id = ?""")) {
            select.setObject(1, jobId);
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new StoredJob(jobId, rs.getString(1), rs.getString(2), rs.getInt(3),
                        rs.getBytes(4), rs.getBytes(5), rs.getBytes(6)));
            }
        }
    }

    public Optional<ModelRecord> model(String modelId) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement select = c.prepareStatement(
                     "select id, kind, sha256, bundle_path, card::text from models where id = ?")) {
            select.setString(1, modelId);
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new ModelRecord(rs.getString(1), rs.getString(2), rs.getString(3),
                        rs.getString(4), rs.getString(5)));
            }
        }
    }

    /**
     * Marks a job FAILED with a reason the user can read. Guarded: only a job RUNNING under
     * {@code workerId} changes, or, when {@code workerId} is null (it failed before any claim),
     * only a QUEUED job, so that a stray message can never fail work another worker is doing.
     *
     * @param workerId the worker that claimed the job, or null when it failed before its claim
     * @return whether the row changed
     */
    public boolean markFailed(UUID jobId, String workerId, String reason) throws SQLException {
        String sql = workerId == null
                ? """
                  update jobs set status = 'FAILED', error = ?, finished_at = now(), updated_at = now()
                   where id = ? and status = 'QUEUED'"""
                : """
                  update jobs set status = 'FAILED', error = ?, finished_at = now(), updated_at = now()
                   where id = ? and status = 'RUNNING' and worker_id = ?""";
        try (Connection c = dataSource.getConnection();
             PreparedStatement update = c.prepareStatement(sql)) {
            update.setString(1, reason);
            update.setObject(2, jobId);
            if (workerId != null) {
                update.setString(3, workerId);
            }
            return update.executeUpdate() == 1;
        }
    }

    /** True while the job is RUNNING under this worker (not cancelled, not taken over). */
    public boolean stillOwned(UUID jobId, String workerId) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement select = c.prepareStatement("select status, worker_id from jobs where id = ?")) {
            select.setObject(1, jobId);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() && "RUNNING".equals(rs.getString(1)) && workerId.equals(rs.getString(2));
            }
        }
    }

    /** True while the job is RUNNING under this worker and this attempt (not requeued and claimed again). */
    public boolean stillOwned(UUID jobId, String workerId, int attempt) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement select = c.prepareStatement("select status, worker_id, attempts from jobs where id = ?")) {
            select.setObject(1, jobId);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() && "RUNNING".equals(rs.getString(1)) && workerId.equals(rs.getString(2))
                        && rs.getInt(3) == attempt;
            }
        }
    }

    public Optional<JobStatus> status(UUID jobId) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return status(c, jobId);
        }
    }

    private static Optional<JobStatus> status(Connection c, UUID jobId) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("select status from jobs where id = ?")) {
            select.setObject(1, jobId);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? Optional.of(JobStatus.valueOf(rs.getString(1))) : Optional.empty();
            }
        }
    }
}
