package io.flowrecon.worker.store;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;

/** Writes a finished job: its results row and its SUCCEEDED status, in one transaction. */
public final class ResultStore {

    private final DataSource dataSource;

    public ResultStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Commits the result if the job is still RUNNING under this worker and this attempt (a job the reaper
     * returned to the queue and someone claimed again, even a worker with the same id, has a higher attempt
     * number: the old attempt's result is dropped, never doubled). The guarded update
     * goes first so that it row-locks the job: a concurrent cancel or takeover either waits
     * for this commit (and then finds the job terminal) or wins, and then nothing is written.
     *
     * @return false (and nothing written) when the job was cancelled or taken over meanwhile
     */
    public boolean commit(ResultRow row) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                boolean written = markSucceeded(c, row) && insert(c, row);
                if (written) {
                    c.commit();
                } else {
                    c.rollback();
                }
                return written;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(autoCommit);
            }
        }
    }

    private static boolean markSucceeded(Connection c, ResultRow row) throws SQLException {
        try (PreparedStatement update = c.prepareStatement("""
                update jobs set status = 'SUCCEEDED', finished_at = now(), updated_at = now(), error = null
                 where id = ? and status = 'RUNNING' and worker_id = ? and attempts = ?""")) {
            update.setObject(1, row.jobId());
            update.setString(2, row.workerId());
            update.setInt(3, row.attempt());
            return update.executeUpdate() == 1;
        }
    }

    private static boolean insert(Connection c, ResultRow row) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement("""
                insert into results (job_id, reconstruction_png, measurement_png, psnr, ssim, residual_norm,
                                     latent_norm, iterations, evaluations, wall_millis, worker_id,
                                     execution_provider, model_sha256, stop_reason, provenance)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb)""")) {
            int i = 1;
            insert.setObject(i++, row.jobId());
            insert.setBytes(i++, row.reconstructionPng());
            insert.setBytes(i++, row.measurementPng());
            setNullableDouble(insert, i++, row.psnr());
            setNullableDouble(insert, i++, row.ssim());
            insert.setDouble(i++, row.residualNorm());
            setNullableDouble(insert, i++, row.latentNorm());
            insert.setInt(i++, row.iterations());
            insert.setInt(i++, row.evaluations());
            insert.setLong(i++, row.wallMillis());
            insert.setString(i++, row.workerId());
            insert.setString(i++, row.executionProvider());
            insert.setString(i++, row.modelSha256());
            insert.setString(i++, row.stopReason());
            insert.setString(i, row.provenanceJson());
            return insert.executeUpdate() == 1;
        }
    }

    private static void setNullableDouble(PreparedStatement statement, int index, Double value) throws SQLException {
        if (value == null || !Double.isFinite(value)) {
            statement.setNull(index, Types.DOUBLE);
        } else {
            statement.setDouble(index, value);
        }
    }
}
