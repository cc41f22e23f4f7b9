package io.flowrecon.api.experiment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flowrecon.api.error.ApiException;
import io.flowrecon.api.experiment.ExperimentViews.ExperimentCreated;
import io.flowrecon.api.experiment.ExperimentViews.ExperimentSummary;
import io.flowrecon.api.experiment.ExperimentViews.Group;
import io.flowrecon.api.job.JobSubmitter;
import io.flowrecon.shared.job.InvalidSpecException;
import io.flowrecon.shared.job.JobStatus;
import io.flowrecon.shared.job.SpecViolation;
import io.flowrecon.shared.job.Submission;
import jakarta.enterprise.context.ApplicationScoped;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Experiments: a base job spec and a sweep over models, m and noise, expanded into one job per
 * combination (the paper's figures are such sweeps), created in one transaction, and summarised
 * as counts per status and mean PSNR per (model, m).
 *
 * <p>Body: {@code {"name": "...", "base": <job spec>, "sweep": {"models": [...], "m": [...], "noise": [...]}}};
 * every sweep list is optional and replaces the base's value.
 */
@ApplicationScoped
public class ExperimentService {

    /** Keeps one request's transaction and the queue it fills bounded. */
    public static final int MAX_JOBS = 1000;

    private final DataSource dataSource;
    private final JobSubmitter submitter;
    private final ObjectMapper mapper;

    public ExperimentService(DataSource dataSource, JobSubmitter submitter, ObjectMapper mapper) {
        this.dataSource = dataSource;
        this.submitter = submitter;
        this.mapper = mapper;
    }

    public ExperimentCreated create(String owner, String body) throws SQLException, JsonProcessingException {
        JsonNode root = body == null || body.isBlank() ? null : mapper.readTree(body);
        if (root == null || !root.isObject()) {
            throw new InvalidSpecException(List.of(new SpecViolation("body", "must be a JSON object")));
        }
        List<SpecViolation> violations = new ArrayList<>();
        for (var names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!List.of("name", "base", "sweep").contains(name)) {
                violations.add(new SpecViolation(name, "unknown field; allowed: name, base, sweep"));
            }
        }
        JsonNode nameNode = root.get("name");
        String name = nameNode == null ? "experiment" : nameNode.asText();
        if (nameNode != null && (!nameNode.isTextual() || name.isBlank() || name.length() > 200)) {
            violations.add(new SpecViolation("name", "must be a non-empty string of at most 200 characters"));
        }
        JsonNode base = root.get("base");
        if (base == null || !base.isObject()) {
            violations.add(new SpecViolation("base", "is required: the job spec every sweep point starts from"));
        }
        JsonNode sweep = root.get("sweep");
        List<JsonNode> models = axis(sweep, "models", violations);
        List<JsonNode> ms = axis(sweep, "m", violations);
        List<JsonNode> noises = axis(sweep, "noise", violations);
        if (sweep != null && sweep.isObject()) {
            for (var names = sweep.fieldNames(); names.hasNext(); ) {
                String field = names.next();
                if (!List.of("models", "m", "noise").contains(field)) {
                    violations.add(new SpecViolation("sweep." + field, "unknown field; allowed: models, m, noise"));
                }
            }
        }
        long size = (long) models.size() * ms.size() * noises.size();
        if (size > MAX_JOBS) {
            violations.add(new SpecViolation("sweep", "expands to " + size + " jobs; at most " + MAX_JOBS + " per experiment"));
        }
        if (!violations.isEmpty()) {
            throw new InvalidSpecException(violations);
        }

        UUID id = UUID.randomUUID();
        List<Submission> submissions = expand((ObjectNode) base, models, ms, noises, id);
        ObjectNode stored = mapper.createObjectNode();
        stored.put("name", name);
        ObjectNode storedBase = ((ObjectNode) base).deepCopy();
        storedBase.remove(List.of("truth", "measurements")); // binaries live with each job's inputs
        stored.set("base", storedBase);
        stored.set("sweep", sweep == null ? mapper.createObjectNode() : sweep);

        List<UUID> jobs = new ArrayList<>();
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                try (PreparedStatement insert = connection.prepareStatement(
                        "insert into experiments (id, owner, name, spec) values (?, ?, ?, ?::jsonb)")) {
                    insert.setObject(1, id);
                    insert.setString(2, owner);
                    insert.setString(3, name);
                    insert.setString(4, mapper.writeValueAsString(stored));
                    insert.executeUpdate();
                }
                for (Submission submission : submissions) {
                    jobs.add(submitter.insert(connection, owner, submission).id());
                }
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        }
        return new ExperimentCreated(id, name, jobs.size(), jobs);
    }

    /** One sweep axis; an absent axis is a single "keep the base value" point (null). */
    private static List<JsonNode> axis(JsonNode sweep, String field, List<SpecViolation> violations) {
        List<JsonNode> points = new ArrayList<>();
        JsonNode values = sweep == null || !sweep.isObject() ? null : sweep.get(field);
        if (sweep != null && !sweep.isObject()) {
            if (field.equals("models")) {
                violations.add(new SpecViolation("sweep", "must be an object"));
            }
        } else if (values != null && (!values.isArray() || values.isEmpty())) {
            violations.add(new SpecViolation("sweep." + field, "must be a non-empty array"));
        } else if (values != null) {
            values.forEach(points::add);
            return points;
        }
        points.add(null);
        return points;
    }

    /** Validates every point; all violations of all points are reported, once each. */
    private List<Submission> expand(ObjectNode base, List<JsonNode> models, List<JsonNode> ms, List<JsonNode> noises,
                                    UUID experiment) throws SQLException {
        Set<SpecViolation> violations = new LinkedHashSet<>();
        List<Submission> submissions = new ArrayList<>();
        for (JsonNode model : models) {
            for (JsonNode m : ms) {
                for (JsonNode noise : noises) {
                    ObjectNode job = base.deepCopy();
                    job.put("experiment", experiment.toString());
                    StringBuilder point = new StringBuilder();
                    if (model != null) {
                        job.set("model", model);
                        point.append("model=").append(model.asText()).append(' ');
                    }
                    if (m != null || noise != null) {
                        ObjectNode problem = job.get("problem") instanceof ObjectNode p ? p : job.putObject("problem");
                        if (m != null) {
                            problem.set("m", m);
                            point.append("m=").append(m).append(' ');
                        }
                        if (noise != null) {
                            problem.set("noise", noise);
                            point.append("noise=").append(noise).append(' ');
                        }
                    }
                    try {
                        submissions.add(submitter.validate(job));
                    } catch (InvalidSpecException e) {
                        String where = point.isEmpty() ? "" : " (sweep point " + point.toString().strip() + ")";
                        for (SpecViolation v : e.violations()) {
                            violations.add(new SpecViolation("base." + v.field(), v.rule() + where));
                        }
                    }
                }
            }
        }
        if (!violations.isEmpty()) {
            throw new InvalidSpecException(List.copyOf(violations));
        }
        return submissions;
    }

    public ExperimentSummary summary(String owner, UUID id) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            String name;
            OffsetDateTime createdAt;
            JsonNode spec;
            try (PreparedStatement s = connection.prepareStatement(
                    "select name, created_at, spec::text from experiments where id = ? and owner = ?")) {
                s.setObject(1, id);
                s.setString(2, owner);
                try (ResultSet r = s.executeQuery()) {
                    if (!r.next()) {
                        throw ApiException.notFound("experiment " + id + " not found");
                    }
                    name = r.getString(1);
                    createdAt = r.getObject(2, OffsetDateTime.class);
                    spec = mapper.readTree(r.getString(3));
                }
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("experiments.spec holds invalid JSON", e);
            }
            Map<JobStatus, Integer> counts = new EnumMap<>(JobStatus.class);
            for (JobStatus status : JobStatus.values()) {
                counts.put(status, 0);
            }
            int total = 0;
            try (PreparedStatement s = connection.prepareStatement(
                    "select status, count(*) from jobs where experiment_id = ? group by status")) {
                s.setObject(1, id);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        counts.put(JobStatus.valueOf(r.getString(1)), r.getInt(2));
                        total += r.getInt(2);
                    }
                }
            }
            List<Group> groups = new ArrayList<>();
            try (PreparedStatement s = connection.prepareStatement("""
                    select j.model_id, (j.spec -> 'problem' ->> 'm')::int as m, count(*), count(r.psnr), avg(r.psnr)
                    from jobs j left join results r on r.job_id = j.id
                    where j.experiment_id = ?
                    group by 1, 2 order by 1, 2
                    """)) {
                s.setObject(1, id);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        int m = r.getInt(2);
                        Integer mOrNull = r.wasNull() ? null : m;
                        double mean = r.getDouble(5);
                        Double meanOrNull = r.wasNull() ? null : mean;
                        groups.add(new Group(r.getString(1), mOrNull, r.getInt(3), r.getInt(4), meanOrNull));
                    }
                }
            }
            return new ExperimentSummary(id, name, createdAt.toInstant(), spec, total, counts, groups);
        }
    }
}
