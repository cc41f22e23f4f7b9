package io.flowrecon.api.job;

import io.flowrecon.api.error.ApiException;
import io.flowrecon.api.job.JobViews.JobRef;
import io.flowrecon.shared.job.JobStatus;
import jakarta.enterprise.context.ApplicationScoped;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.UUID;

/**
 * Cancels a job with a guarded update: only QUEUED or RUNNING jobs move to CANCELLED, so a
 * cancellation racing with a worker's result never overwrites a terminal state. A running worker
 * sees the status change at its next progress write and stops.
 */
@ApplicationScoped
public class JobCanceller {

    private static final String CANCEL = """
            update jobs set status = 'CANCELLED', finished_at = now(), updated_at = now()
            where id = ? and owner = ? and status in ('QUEUED', 'RUNNING')
            """;

    private final DataSource dataSource;
    private final JobReader reader;

    public JobCanceller(DataSource dataSource, JobReader reader) {
        this.dataSource = dataSource;
        this.reader = reader;
    }

    public JobRef cancel(String owner, UUID id) throws SQLException {
        int updated;
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(CANCEL)) {
            statement.setObject(1, id);
            statement.setString(2, owner);
            updated = statement.executeUpdate();
        }
        if (updated == 1) {
            return new JobRef(id, JobStatus.CANCELLED);
        }
        JobStatus status = reader.statusOf(owner, id); // 404 when it is not the caller's job
        throw ApiException.conflict("job " + id + " is already " + status + "; only QUEUED or RUNNING jobs can be cancelled");
    }
}
