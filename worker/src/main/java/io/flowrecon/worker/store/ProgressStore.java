package io.flowrecon.worker.store;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;
import java.util.UUID;

/** job_progress: the per-iteration trace users poll while a job runs. */
public final class ProgressStore {

    private final DataSource dataSource;

    public ProgressStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Drops an earlier attempt's trace, so that a redelivered job shows one clean trace. */
    public void clear(UUID jobId) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement delete = c.prepareStatement("delete from job_progress where job_id = ?")) {
            delete.setObject(1, jobId);
            delete.executeUpdate();
        }
    }

    /** Appends rows in one batch; a row for an iteration already stored replaces it. */
    public void append(UUID jobId, List<ProgressRow> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        try (Connection c = dataSource.getConnection();
             PreparedStatement insert = c.prepareStatement("""
                     insert into job_progress (job_id, iteration, loss, psnr, elapsed_millis) values (?, ?, ?, ?, ?)
                     on conflict (job_id, iteration) do update
                        set loss = excluded.loss, psnr = excluded.psnr, elapsed_millis = excluded.elapsed_millis""")) {
            for (ProgressRow row : rows) {
                insert.setObject(1, jobId);
                insert.setInt(2, row.iteration());
                insert.setDouble(3, finiteOr(row.loss(), Double.MAX_VALUE));
                if (row.psnr() == null || !Double.isFinite(row.psnr())) {
                    insert.setNull(4, Types.DOUBLE);
                } else {
                    insert.setDouble(4, row.psnr());
                }
                insert.setLong(5, row.elapsedMillis());
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    private static double finiteOr(double value, double fallback) {
        // PostgreSQL accepts NaN/Infinity in double precision, JSON clients do not: keep the trace plottable.
        return Double.isFinite(value) ? value : fallback;
    }
}
