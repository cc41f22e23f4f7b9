package io.flowrecon.api.experiment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flowrecon.api.error.ApiException;
import io.flowrecon.api.experiment.ExperimentViews.ExperimentCreated;
import io.flowrecon.api.experiment.ExperimentViews.ExperimentSummary;
import io.flowrecon.api.experiment.ExperimentViews.ExperimentListItem;
import io.flowrecon.api.experiment.ExperimentViews.ExperimentPage;
import io.flowrecon.api.experiment.ExperimentViews.ExperimentRecord;
import io.flowrecon.api.experiment.grid.ExperimentGrid;
import io.flowrecon.api.experiment.summary.CellSummary;
import io.flowrecon.api.experiment.summary.ExperimentPlots;
import io.flowrecon.api.experiment.summary.ExperimentSummaries;
import io.flowrecon.api.experiment.summary.ImageGrid;
import io.flowrecon.api.experiment.summary.JobRow;
import io.flowrecon.api.experiment.summary.Progress;
import io.flowrecon.api.job.JobSubmitter;
import io.flowrecon.api.limits.Quotas;
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
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Experiments: created either as a grid over an image set ({@link GridExperiments}) or, the older form, as a
 * base job spec with one uploaded image and a sweep over models, m and noise:
 * {@code {"name": "...", "base": <job spec>, "sweep": {"models": [...], "m": [...], "noise": [...]}}}, every
 * sweep list optional and replacing the base's value. Either way one job per point, created in one transaction;
 * summarised per cell (every axis but images and seeds), listed, and cancelled here.
 */
@ApplicationScoped
public class ExperimentService {

    /** Keeps one request's transaction and the queue it fills bounded. */
    public static final int MAX_JOBS = 1000;

    private final DataSource dataSource;
    private final JobSubmitter submitter;
    private final ObjectMapper mapper;

    private final GridExperiments grids;
    private final ExperimentEstimates estimates;
    private final Quotas quotas;

    public ExperimentService(DataSource dataSource, JobSubmitter submitter, ObjectMapper mapper, GridExperiments grids,
                             ExperimentEstimates estimates, Quotas quotas) {
        this.quotas = quotas;
        this.dataSource = dataSource;
        this.submitter = submitter;
        this.mapper = mapper;
        this.grids = grids;
        this.estimates = estimates;
    }

    public ExperimentCreated create(String owner, String body) throws SQLException, JsonProcessingException {
        JsonNode root = body == null || body.isBlank() ? null : mapper.readTree(body);
        if (root == null || !root.isObject()) {
            throw new InvalidSpecException(List.of(new SpecViolation("body", "must be a JSON object")));
        }
        if (GridExperiments.isGrid(root)) {
            return grids.create(owner, (ObjectNode) root);
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
        quotas.checkExperimentSize(size);

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
                try (PreparedStatement position = connection.prepareStatement(
                        "update jobs set experiment_position = ? where id = ?")) {
                    for (Submission submission : submissions) {
                        UUID job = submitter.insert(connection, owner, submission).id();
                        position.setInt(1, jobs.size());
                        position.setObject(2, job);
                        position.executeUpdate();
                        jobs.add(job);
                    }
                }
                quotas.checkQueued(connection, owner, jobs.size());
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        }
        List<String> jobModels = submissions.stream().map(sub -> sub.spec().model()).toList();
        return new ExperimentCreated(id, name, jobs.size(), jobs, 0, estimates.estimateSeconds(jobModels));
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

    /** The experiment row an owner may see, or a 404. */
    ExperimentRecord record(String owner, UUID id) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement s = connection.prepareStatement("""
                     select name, created_at, spec::text, image_set_id, cancelled_at from experiments
                     where id = ? and owner = ?
                     """)) {
            s.setObject(1, id);
            s.setString(2, owner);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    throw ApiException.notFound("experiment " + id + " not found");
                }
                return new ExperimentRecord(id, r.getString(1), r.getObject(2, OffsetDateTime.class).toInstant(),
                        mapper.readTree(r.getString(3)), r.getObject(4, UUID.class),
                        r.getObject(5, OffsetDateTime.class) == null ? null : r.getObject(5, OffsetDateTime.class).toInstant());
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("experiments.spec holds invalid JSON", e);
            }
        }
    }

    public ExperimentSummary summary(String owner, UUID id) throws SQLException {
        ExperimentRecord experiment = record(owner, id);
        List<JobRow> rows = rows(id);
        Progress progress = ExperimentSummaries.progress(rows, fallbackJobSeconds(rows), estimates.liveWorkers());
        Map<JobStatus, Integer> counts = new EnumMap<>(JobStatus.class);
        for (JobStatus status : JobStatus.values()) {
            counts.put(status, 0);
        }
        rows.forEach(row -> counts.merge(JobStatus.valueOf(row.status()), 1, Integer::sum));
        return new ExperimentSummary(id, experiment.name(), experiment.createdAt(), experiment.cancelledAt(),
                experiment.spec(), experiment.imageSet(), progress, counts, ExperimentSummaries.cells(rows));
    }

    /** The jobs of an experiment with their results, in creation order. */
    public List<JobRow> rows(UUID experiment) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement s = connection.prepareStatement("""
                     select j.id, j.status, j.error, j.axes::text, j.spec::text, j.image_index, r.psnr, r.ssim,
                            r.wall_millis, r.iterations, r.residual_norm, r.model_sha256, r.worker_id,
                            r.execution_provider, r.stop_reason, r.provenance::text
                     from jobs j left join results r on r.job_id = j.id
                     where j.experiment_id = ? order by j.experiment_position nulls last, j.created_at, j.id
                     """)) {
            s.setObject(1, experiment);
            List<JobRow> rows = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    ObjectNode axes = ExperimentGrid.inAxisOrder(r.getString(4) != null
                            ? (ObjectNode) mapper.readTree(r.getString(4)) : legacyAxes(mapper.readTree(r.getString(5))));
                    int image = r.getInt(6);
                    Integer imageIndex = r.wasNull() ? null : image;
                    rows.add(new JobRow(r.getObject(1, UUID.class), r.getString(2), r.getString(3), axes, imageIndex,
                            (Double) r.getObject(7), (Double) r.getObject(8), (Long) r.getObject(9),
                            (Integer) r.getObject(10), (Double) r.getObject(11), r.getString(12), r.getString(13),
                            r.getString(14), r.getString(15), r.getString(16)));
                }
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("jobs.axes or jobs.spec holds invalid JSON", e);
            }
            return rows;
        }
    }

    /** Axes of a job of a sweep made before grids: model, problem, m and noise, read back from its spec. */
    private ObjectNode legacyAxes(JsonNode spec) {
        ObjectNode axes = mapper.createObjectNode();
        axes.put("model", spec.path("model").asText());
        JsonNode problem = spec.path("problem");
        axes.put("problem", problem.path("kind").asText());
        if (problem.has("m")) {
            axes.set("m", problem.get("m"));
        }
        JsonNode noise = problem.path("noise");
        axes.put("noise", noise.path("kind").asText());
        if (noise.has("std")) {
            axes.set("noiseStd", noise.get("std"));
        }
        if (noise.has("norm")) {
            axes.set("noiseNorm", noise.get("norm"));
        }
        return axes;
    }

    private double fallbackJobSeconds(List<JobRow> rows) throws SQLException {
        List<String> models = new ArrayList<>();
        for (JobRow row : rows) {
            if (!row.finished()) {
                models.add(row.axes().path("model").asText());
            }
        }
        if (models.isEmpty()) {
            return 0;
        }
        return estimates.solveSeconds(models) / models.size();
    }

    /** The owner's experiments, newest first, a page at a time (keyset on created_at, id). */
    public ExperimentPage list(String owner, int limit, String cursor) throws SQLException {
        OffsetDateTime before = null;
        UUID beforeId = null;
        if (cursor != null && !cursor.isBlank()) {
            String[] parts = cursor.split("_", 2);
            try {
                before = OffsetDateTime.parse(parts[0]);
                beforeId = UUID.fromString(parts[1]);
            } catch (RuntimeException e) {
                throw ApiException.badRequest("invalid-cursor", "cursor must be the nextCursor of an earlier page");
            }
        }
        String sql = """
                select e.id, e.name, e.created_at, e.cancelled_at,
                       count(j.id), count(j.id) filter (where j.status in ('SUCCEEDED', 'FAILED', 'CANCELLED')),
                       count(j.id) filter (where j.status = 'FAILED'), count(j.id) filter (where j.status = 'RUNNING')
                from experiments e left join jobs j on j.experiment_id = e.id
                where e.owner = ? and (?::timestamptz is null or (e.created_at, e.id) < (?::timestamptz, ?::uuid))
                group by e.id order by e.created_at desc, e.id desc limit ?
                """;
        try (Connection connection = dataSource.getConnection();
             PreparedStatement s = connection.prepareStatement(sql)) {
            s.setString(1, owner);
            s.setObject(2, before);
            s.setObject(3, before);
            s.setObject(4, beforeId);
            s.setInt(5, limit + 1);
            List<ExperimentListItem> items = new ArrayList<>();
            String next = null;
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    if (items.size() == limit) {
                        ExperimentListItem last = items.get(items.size() - 1);
                        next = last.createdAtCursor() + "_" + last.id();
                        break;
                    }
                    OffsetDateTime created = r.getObject(3, OffsetDateTime.class);
                    OffsetDateTime cancelled = r.getObject(4, OffsetDateTime.class);
                    items.add(new ExperimentListItem(r.getObject(1, UUID.class), r.getString(2), created.toInstant(),
                            cancelled == null ? null : cancelled.toInstant(), r.getInt(5), r.getInt(6), r.getInt(7),
                            r.getInt(8), created.toString()));
                }
            }
            return new ExperimentPage(items, next);
        }
    }

    /**
     * Cancels every job of the experiment that has not finished (guarded as a single job's cancel is) and marks
     * the experiment cancelled; finished jobs and their results stay.
     *
     * @return how many jobs were cancelled
     */
    public int cancel(String owner, UUID id) throws SQLException {
        record(owner, id);
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                int cancelled;
                try (PreparedStatement jobs = connection.prepareStatement("""
                        update jobs set status = 'CANCELLED', finished_at = now(), updated_at = now()
                        where experiment_id = ? and owner = ? and status in ('QUEUED', 'RUNNING')
                        """)) {
                    jobs.setObject(1, id);
                    jobs.setString(2, owner);
                    cancelled = jobs.executeUpdate();
                }
                try (PreparedStatement experiment = connection.prepareStatement(
                        "update experiments set cancelled_at = coalesce(cancelled_at, now()) where id = ?")) {
                    experiment.setObject(1, id);
                    experiment.executeUpdate();
                }
                connection.commit();
                return cancelled;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        }
    }

    /**
     * The image grid of one cell per model: rows are the experiment's first {@code maxImages} images; columns
     * truth, measurements (when they are an image), then each model's reconstruction. {@code filters} pick the
     * cell (axis name to value); they must leave one cell per model.
     */
    public byte[] imageGrid(String owner, UUID id, Map<String, String> filters, int maxImages) throws SQLException {
        ExperimentRecord experiment = record(owner, id);
        if (experiment.imageSet() == null) {
            throw ApiException.badRequest("not-a-grid", "image grids are drawn for experiments over an image set");
        }
        List<CellSummary> cells = ExperimentPlots.filter(ExperimentSummaries.cells(rows(id)), filters);
        Map<String, List<CellSummary>> byModel = new LinkedHashMap<>();
        for (CellSummary cell : cells) {
            byModel.computeIfAbsent(cell.axes().path("model").asText(), m -> new ArrayList<>()).add(cell);
        }
        if (byModel.isEmpty()) {
            throw ApiException.badRequest("invalid-query", "no cell matches " + filters);
        }
        for (Map.Entry<String, List<CellSummary>> model : byModel.entrySet()) {
            if (model.getValue().size() > 1) {
                throw ApiException.badRequest("invalid-query", "choose one cell per model: " + model.getKey() + " has "
                        + model.getValue().size() + " cells matching " + filters + "; add axis values as query"
                        + " parameters, e.g. " + varyingAxes(model.getValue()));
            }
        }
        Map<String, ObjectNode> cellOf = new LinkedHashMap<>();
        byModel.forEach((model, list) -> cellOf.put(model, list.get(0).axes()));
        List<String> models = new ArrayList<>(cellOf.keySet());
        Map<Integer, byte[]> truth = new TreeMap<>();
        Map<Integer, byte[]> measurements = new TreeMap<>();
        Map<Integer, Map<String, byte[]>> reconstructions = new TreeMap<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement s = connection.prepareStatement("""
                     select j.axes::text, j.image_index, i.truth_png, r.reconstruction_png, r.measurement_png
                     from jobs j join job_inputs i on i.job_id = j.id left join results r on r.job_id = j.id
                     where j.experiment_id = ? and j.image_index < ? order by j.experiment_position
                     """)) {
            s.setObject(1, id);
            s.setInt(2, maxImages);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    ObjectNode axes = (ObjectNode) mapper.readTree(r.getString(1));
                    String model = axes.path("model").asText();
                    ObjectNode wanted = cellOf.get(model);
                    if (wanted == null || !ExperimentSummaries.cellOf(axes).equals(wanted)) {
                        continue;
                    }
                    int image = r.getInt(2);
                    truth.putIfAbsent(image, r.getBytes(3));
                    Map<String, byte[]> row = reconstructions.computeIfAbsent(image, k -> new LinkedHashMap<>());
                    if (!row.containsKey(model) || row.get(model) == null) {
                        row.put(model, r.getBytes(4));
                    }
                    if (r.getBytes(5) != null) {
                        measurements.putIfAbsent(image, r.getBytes(5));
                    }
                }
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("jobs.axes holds invalid JSON", e);
            }
        }
        List<String> columns = new ArrayList<>(List.of("truth", "measurements"));
        columns.addAll(models);
        List<ImageGrid.Row> gridRows = new ArrayList<>();
        for (Map.Entry<Integer, byte[]> image : truth.entrySet()) {
            List<byte[]> tiles = new ArrayList<>();
            tiles.add(image.getValue());
            tiles.add(measurements.get(image.getKey()));
            for (String model : models) {
                tiles.add(reconstructions.getOrDefault(image.getKey(), Map.of()).get(model));
            }
            gridRows.add(new ImageGrid.Row("image " + image.getKey(), tiles));
        }
        return ImageGrid.png(columns, gridRows);
    }

    private static String varyingAxes(List<CellSummary> cells) {
        StringBuilder example = new StringBuilder();
        ObjectNode first = cells.get(0).axes();
        first.fieldNames().forEachRemaining(axis -> {
            for (CellSummary cell : cells) {
                if (!first.get(axis).equals(cell.axes().get(axis))) {
                    if (example.length() == 0) {
                        example.append(axis).append('=').append(first.get(axis).asText());
                    }
                    break;
                }
            }
        });
        return example.toString();
    }
}
