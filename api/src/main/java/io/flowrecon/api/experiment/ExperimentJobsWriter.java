package io.flowrecon.api.experiment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowrecon.shared.job.JobInputs;
import io.flowrecon.shared.job.JobSpec;
import io.flowrecon.shared.job.Float32;
import io.flowrecon.shared.job.SpecHash;
import io.flowrecon.shared.job.StoredSpecs;
import io.flowrecon.shared.job.Submission;
import io.flowrecon.shared.messaging.JobMessage;
import io.flowrecon.shared.messaging.Topics;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Writes an experiment's jobs, their inputs and their outbox rows with JDBC batches, on the caller's
 * transaction: one round trip per {@link #BATCH} rows of each table instead of three per job, which is what
 * lets a 10,000-job grid be created in seconds.
 *
 * <p>A job whose reuse key (the hash of its canonical spec without the experiment, its inputs and the model's
 * sha256) equals that of an earlier SUCCEEDED job of the same owner is not queued: it is written SUCCEEDED with
 * a copy of that job's result, whose provenance names the original ({@code reusedFrom}).
 */
final class ExperimentJobsWriter {

    /** Rows per batch; PostgreSQL's driver sends a batch in one go, so this bounds one message's size. */
    static final int BATCH = 500;

    /** A validated job of the grid, with where its truth came from. */
    record GridJob(Submission submission, String axesJson, UUID imageSet, int imageIndex) {
    }

    private final ObjectMapper mapper;

    ExperimentJobsWriter(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** What {@link #insert} wrote: the job ids in grid order, how many took an earlier result, the queued ones' models. */
    record Written(List<UUID> ids, int reused, List<String> queuedModels) {
    }

    Written insert(Connection connection, String owner, UUID experiment, List<GridJob> jobs) throws SQLException {
        UUID[] ids = new UUID[jobs.size()];
        String[] reuseKeys = reuseKeys(connection, jobs);
        Map<String, UUID> earlier = earlierResults(connection, owner, reuseKeys);
        int reused = 0;
        List<String> queuedModels = new ArrayList<>();
        try (PreparedStatement job = connection.prepareStatement("""
                insert into jobs (id, owner, model_id, experiment_id, problem_kind, spec, spec_hash, status, axes,
                                  image_set_id, image_index, experiment_position, reuse_key, reused_from,
                                  started_at, finished_at, worker_id)
                values (?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?::jsonb, ?, ?, ?, ?, ?,
                        case when ? then now() end, case when ? then now() end,
                        (select worker_id from jobs where id = ?))
                """);
             PreparedStatement copy = connection.prepareStatement("""
                     insert into results (job_id, reconstruction_png, measurement_png, psnr, ssim, residual_norm,
                         latent_norm, iterations, evaluations, wall_millis, worker_id, execution_provider, model_sha256,
                         stop_reason, provenance)
                     select ?, reconstruction_png, measurement_png, psnr, ssim, residual_norm, latent_norm, iterations,
                         evaluations, wall_millis, worker_id, execution_provider, model_sha256, stop_reason,
                         provenance || jsonb_build_object('reusedFrom', ?::text)
                     from results where job_id = ?
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
                String storedSpec = StoredSpecs.write(submission.spec(), submission.inputs().shape());
                String specHash = SpecHash.ofStored(storedSpec, submission.inputs());
                UUID original = earlier.get(reuseKeys[i]);
                boolean reuse = original != null;
                job.setObject(1, id);
                job.setString(2, owner);
                job.setString(3, submission.spec().model());
                job.setObject(4, experiment);
                job.setString(5, submission.spec().problem().kind());
                job.setString(6, storedSpec);
                job.setString(7, specHash);
                job.setString(8, reuse ? "SUCCEEDED" : "QUEUED");
                job.setString(9, grid.axesJson());
                job.setObject(10, grid.imageSet(), Types.OTHER);
                job.setInt(11, grid.imageIndex());
                job.setInt(12, i);
                job.setString(13, reuseKeys[i]);
                job.setObject(14, original, Types.OTHER);
                job.setBoolean(15, reuse);
                job.setBoolean(16, reuse);
                job.setObject(17, original, Types.OTHER);
                job.addBatch();
                JobInputs in = submission.inputs();
                inputs.setObject(1, id);
                inputs.setBytes(2, in.truthPng());
                inputs.setBytes(3, in.measurementPng());
                inputs.setBytes(4, in.measurementValues() == null ? null : Float32.bytes(in.measurementValues()));
                inputs.addBatch();
                if (reuse) {
                    reused++;
                    copy.setObject(1, id);
                    copy.setString(2, original.toString());
                    copy.setObject(3, original);
                    copy.addBatch();
                } else {
                    queuedModels.add(submission.spec().model());
                    outbox.setString(1, Topics.JOBS);
                    outbox.setString(2, id.toString());
                    outbox.setString(3, message(id, submission.spec().model(), specHash));
                    outbox.addBatch();
                }
                if ((i + 1) % BATCH == 0) {
                    flush(job, inputs, outbox, copy);
                }
            }
            flush(job, inputs, outbox, copy);
        }
        return new Written(List.of(ids), reused, queuedModels);
    }

    /** sha256 of (the spec hash without the experiment, the model's sha256), per job. */
    private String[] reuseKeys(Connection connection, List<GridJob> jobs) throws SQLException {
        Map<String, String> modelHashes = new HashMap<>();
        String[] keys = new String[jobs.size()];
        for (int i = 0; i < jobs.size(); i++) {
            Submission submission = jobs.get(i).submission();
            JobSpec spec = submission.spec();
            String model = modelHashes.get(spec.model());
            if (model == null) {
                model = modelHash(connection, spec.model());
                modelHashes.put(spec.model(), model);
            }
            String specHash = SpecHash.of(new JobSpec(spec.model(), spec.problem(), spec.solver(), null),
                    submission.inputs());
            keys[i] = sha256(specHash + ":" + model);
        }
        return keys;
    }

    private static String modelHash(Connection connection, String model) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("select sha256 from models where id = ?")) {
            statement.setString(1, model);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? rows.getString(1) : "";
            }
        }
    }

    /** For each key, the earliest SUCCEEDED job of the owner with that key and a result. */
    private static Map<String, UUID> earlierResults(Connection connection, String owner, String[] keys)
            throws SQLException {
        Map<String, UUID> earlier = new HashMap<>();
        try (PreparedStatement statement = connection.prepareStatement("""
                select distinct on (j.reuse_key) j.reuse_key, j.id from jobs j join results r on r.job_id = j.id
                where j.owner = ? and j.status = 'SUCCEEDED' and j.reuse_key = any(?)
                order by j.reuse_key, j.finished_at, j.id
                """)) {
            statement.setString(1, owner);
            statement.setArray(2, connection.createArrayOf("text", keys));
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    earlier.put(rows.getString(1), rows.getObject(2, UUID.class));
                }
            }
        }
        return earlier;
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
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
