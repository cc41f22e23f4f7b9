package io.flowrecon.api.experiment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowrecon.shared.job.JobInputs;
import io.flowrecon.shared.job.JobSpecCodec;
import io.flowrecon.shared.job.Submission;
import io.flowrecon.shared.messaging.JobMessage;
import io.flowrecon.shared.messaging.Topics;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;
import java.util.UUID;

/**
 * Writes an experiment's jobs, their inputs and their outbox rows with JDBC batches, on the caller's
 * transaction: one round trip per {@link #BATCH} rows of each table instead of three per job, which is what
 * lets a 10,000-job grid be created in seconds.
 */
final class ExperimentJobsWriter {

    /** Rows per batch; PostgreSQL's driver sends a batch in one go, so this bounds one message's size. */
    static final int BATCH = 500;

    /** A validated job of the grid, with where its truth came from. */
    record GridJob(Submission submission, String axesJson, UUID imageSet, int imageIndex) {
    }

    private final JobSpecCodec codec = new JobSpecCodec();
    private final ObjectMapper mapper;

    ExperimentJobsWriter(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    List<UUID> insert(Connection connection, String owner, UUID experiment, List<GridJob> jobs) throws SQLException {
        UUID[] ids = new UUID[jobs.size()];
        try (PreparedStatement job = connection.prepareStatement("""
                insert into jobs (id, owner, model_id, experiment_id, problem_kind, spec, spec_hash, status, axes,
                                  image_set_id, image_index, experiment_position)
                values (?, ?, ?, ?, ?, ?::jsonb, ?, 'QUEUED', ?::jsonb, ?, ?, ?)
                """);
             PreparedStatement inputs = connection.prepareStatement(
                     "insert into job_inputs (job_id, truth_png, measurement_png, measurement_values) values (?, ?, ?, ?)");
             PreparedStatement outbox = connection.prepareStatement(
                     "insert into outbox (topic, message_key, payload) values (?, ?, ?::jsonb)")) {
            for (int i = 0; i < jobs.size(); i++) {
                GridJob grid = jobs.get(i);
                Submission submission = grid.submission();
                UUID id = UUID.randomUUID();
                ids[i] = id;
                String specHash = codec.specHash(submission.spec(), submission.inputs());
                job.setObject(1, id);
                job.setString(2, owner);
                job.setString(3, submission.spec().model());
                job.setObject(4, experiment);
                job.setString(5, submission.spec().problem().kind());
                job.setString(6, codec.toStoredJson(submission.spec(), submission.inputs().shape()));
                job.setString(7, specHash);
                job.setString(8, grid.axesJson());
                job.setObject(9, grid.imageSet(), Types.OTHER);
                job.setInt(10, grid.imageIndex());
                job.setInt(11, i);
                job.addBatch();
                JobInputs in = submission.inputs();
                inputs.setObject(1, id);
                inputs.setBytes(2, in.truthPng());
                inputs.setBytes(3, in.measurementPng());
                inputs.setBytes(4, in.measurementValues() == null ? null : JobSpecCodec.float32Bytes(in.measurementValues()));
                inputs.addBatch();
                outbox.setString(1, Topics.JOBS);
                outbox.setString(2, id.toString());
                outbox.setString(3, message(id, submission.spec().model(), specHash));
                outbox.addBatch();
                if ((i + 1) % BATCH == 0) {
                    flush(job, inputs, outbox);
                }
            }
            flush(job, inputs, outbox);
        }
        return List.of(ids);
    }

    private static void flush(PreparedStatement... statements) throws SQLException {
        for (PreparedStatement statement : statements) {
            statement.executeBatch();
        }
    }

    private String message(UUID id, String model, String specHash) {
        try {
            return mapper.writeValueAsString(new JobMessage(id.toString(), model, specHash));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a record of strings always serialises", e);
        }
    }
}
