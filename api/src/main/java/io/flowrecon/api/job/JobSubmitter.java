package io.flowrecon.api.job;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowrecon.api.imageset.ImageReferences;
import io.flowrecon.api.limits.Quotas;
import io.flowrecon.api.job.JobViews.JobRef;
import io.flowrecon.api.model.ModelCatalog;
import io.flowrecon.shared.job.InvalidSpecException;
import io.flowrecon.shared.job.JobInputs;
import io.flowrecon.shared.job.Float32;
import io.flowrecon.shared.job.SpecHash;
import io.flowrecon.shared.job.StoredSpecs;
import io.flowrecon.shared.job.SubmissionReader;
import io.flowrecon.shared.job.JobStatus;
import io.flowrecon.shared.job.SpecViolation;
import io.flowrecon.shared.job.Submission;
import io.flowrecon.shared.messaging.JobMessage;
import io.flowrecon.shared.messaging.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Accepts a job: validates it against the model registry, then writes the job, its inputs and its
 * outbox row in one transaction (transactional outbox: the job is announced on Kafka if and only
 * if it was stored, and Kafka being down never fails a submission).
 */
@ApplicationScoped
public class JobSubmitter {

    private static final String INSERT_JOB = """
            insert into jobs (id, owner, model_id, experiment_id, problem_kind, spec, spec_hash, status)
            values (?, ?, ?, ?, ?, ?::jsonb, ?, 'QUEUED')
            """;
    private static final String INSERT_INPUTS = """
            insert into job_inputs (job_id, truth_png, measurement_png, measurement_values) values (?, ?, ?, ?)
            """;
    private static final String INSERT_OUTBOX = "insert into outbox (topic, message_key, payload) values (?, ?, ?::jsonb)";

    private final DataSource dataSource;
    private final ModelCatalog models;
    private final ObjectMapper mapper;
    private final MeterRegistry meters;
    private final ImageReferences images;
    private final Quotas quotas;

    public JobSubmitter(DataSource dataSource, ModelCatalog models, ObjectMapper mapper, MeterRegistry meters,
                        ImageReferences images, Quotas quotas) {
        this.images = images;
        this.quotas = quotas;
        this.dataSource = dataSource;
        this.models = models;
        this.mapper = mapper;
        this.meters = meters;
    }

    /**
     * @param body the raw request body
     * @throws InvalidSpecException         for a spec that breaks a rule
     * @throws JsonProcessingException      for a body that is not JSON
     */
    public JobRef submit(String owner, String body) throws SQLException, JsonProcessingException {
        JsonNode json = body == null || body.isBlank() ? null : mapper.readTree(body);
        Optional<ImageReferences.ImageRef> image = images.resolve(owner, json);
        Submission submission = validate(json);
        JobRef job;
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                String experiment = submission.spec().experiment();
                if (experiment != null) {
                    requireOwnExperiment(connection, owner, UUID.fromString(experiment));
                }
                job = insert(connection, owner, submission);
                if (image.isPresent()) {
                    try (PreparedStatement source = connection.prepareStatement(
                            "update jobs set image_set_id = ?, image_index = ? where id = ?")) {
                        source.setObject(1, image.get().imageSet());
                        source.setInt(2, image.get().index());
                        source.setObject(3, job.id());
                        source.executeUpdate();
                    }
                }
                quotas.checkQueued(connection, owner, 1);
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        }
        return job;
    }

    /** Validates a spec against the current model registry. */
    public Submission validate(JsonNode json) throws SQLException {
        return SubmissionReader.read(json, models.lookup());
    }

    /**
     * Writes the job, its inputs and its outbox row on {@code connection}; the caller owns the
     * transaction (one job, or all jobs of an experiment).
     */
    public JobRef insert(Connection connection, String owner, Submission submission) throws SQLException {
        UUID id = UUID.randomUUID();
        String storedSpec = StoredSpecs.write(submission.spec(), submission.inputs().shape());
        String specHash = SpecHash.ofStored(storedSpec, submission.inputs());
        String message;
        try {
            message = mapper.writeValueAsString(new JobMessage(id.toString(), submission.spec().model(), specHash));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a record of strings always serialises", e);
        }
        UUID experiment = submission.spec().experiment() == null ? null : UUID.fromString(submission.spec().experiment());
        try (PreparedStatement job = connection.prepareStatement(INSERT_JOB)) {
            job.setObject(1, id);
            job.setString(2, owner);
            job.setString(3, submission.spec().model());
            job.setObject(4, experiment, Types.OTHER);
            job.setString(5, submission.spec().problem().kind());
            job.setString(6, storedSpec);
            job.setString(7, specHash);
            job.executeUpdate();
        }
        insertInputs(connection, id, submission.inputs());
        try (PreparedStatement outbox = connection.prepareStatement(INSERT_OUTBOX)) {
            outbox.setString(1, Topics.JOBS);
            outbox.setString(2, id.toString());
            outbox.setString(3, message);
            outbox.executeUpdate();
        }
        meters.counter("flowrecon.jobs.submitted", "model", submission.spec().model(),
                "problem", submission.spec().problem().kind()).increment();
        return new JobRef(id, JobStatus.QUEUED);
    }

    private static void insertInputs(Connection connection, UUID id, JobInputs inputs) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(INSERT_INPUTS)) {
            statement.setObject(1, id);
            statement.setBytes(2, inputs.truthPng());
            statement.setBytes(3, inputs.measurementPng());
            statement.setBytes(4, inputs.measurementValues() == null ? null : Float32.bytes(inputs.measurementValues()));
            statement.executeUpdate();
        }
    }

    private static void requireOwnExperiment(Connection connection, String owner, UUID experiment) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("select 1 from experiments where id = ? and owner = ?")) {
            statement.setObject(1, experiment);
            statement.setString(2, owner);
            try (var rows = statement.executeQuery()) {
                if (!rows.next()) {
                    throw new InvalidSpecException(List.of(new SpecViolation("experiment",
                            "no experiment " + experiment + " exists for owner '" + owner + "'")));
                }
            }
        }
    }
}
