package io.flowrecon.api.job;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flowrecon.api.error.ApiException;
import io.flowrecon.api.job.JobViews.JobEvent;
import io.flowrecon.api.job.JobViews.JobPage;
import io.flowrecon.api.job.JobViews.JobSummary;
import io.flowrecon.api.job.JobViews.JobView;
import io.flowrecon.api.job.JobViews.Progress;
import io.flowrecon.api.job.JobViews.ProgressPoint;
import io.flowrecon.api.job.JobViews.ResultView;
import io.flowrecon.shared.job.JobStatus;
import io.flowrecon.shared.job.SolverSettings;
import jakarta.enterprise.context.ApplicationScoped;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/** Reads jobs, their results, traces and images; every query is scoped to the caller's owner. */
@ApplicationScoped
public class JobReader {

    private static final String SELECT_JOB = """
            select j.id, j.owner, j.model_id, j.experiment_id, j.problem_kind, j.status, j.spec::text, j.spec_hash,
                   j.attempts, j.worker_id, j.error, j.created_at, j.started_at, j.finished_at, j.updated_at,
                   r.job_id is not null, r.psnr, r.ssim, r.residual_norm, r.latent_norm, r.iterations, r.evaluations,
                   r.wall_millis, r.worker_id, r.execution_provider, r.model_sha256, r.stop_reason,
                   r.provenance::text, r.created_at, i.truth_png is not null,
                   coalesce(r.measurement_png, i.measurement_png) is not null, r.reconstruction_png is not null
            from jobs j left join results r on r.job_id = j.id left join job_inputs i on i.job_id = j.id
            where j.id = ? and j.owner = ?
            """;

    private final DataSource dataSource;
    private final ObjectMapper mapper;

    public JobReader(DataSource dataSource, ObjectMapper mapper) {
        this.dataSource = dataSource;
        this.mapper = mapper;
    }

    public JobView get(String owner, UUID id) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(SELECT_JOB)) {
            statement.setObject(1, id);
            statement.setString(2, owner);
            try (ResultSet r = statement.executeQuery()) {
                if (!r.next()) {
                    throw JobIds.notFound(id);
                }
                ResultView result = !r.getBoolean(16) ? null : new ResultView(
                        nullableDouble(r, 17), nullableDouble(r, 18), r.getDouble(19), nullableDouble(r, 20),
                        r.getInt(21), r.getInt(22), r.getLong(23), r.getString(24), r.getString(25), r.getString(26),
                        r.getString(27), json(r.getString(28)), instant(r, 29));
                return new JobView(r.getObject(1, UUID.class), r.getString(2), r.getString(3), r.getObject(4, UUID.class),
                        r.getString(5), JobStatus.valueOf(r.getString(6)), specView(json(r.getString(7))), r.getString(8),
                        r.getInt(9), r.getString(10), r.getString(11), instant(r, 12), instant(r, 13), instant(r, 14),
                        instant(r, 15), result, availableImages(r.getBoolean(30), r.getBoolean(31), r.getBoolean(32)),
                        events(connection, id));
            }
        }
    }

    /** The kinds of {@link #image} that exist now, so that a client asks only for those. */
    private static List<String> availableImages(boolean truth, boolean measurement, boolean reconstruction) {
        List<String> kinds = new ArrayList<>();
        if (truth) {
            kinds.add("truth");
        }
        if (measurement) {
            kinds.add("measurement");
        }
        if (reconstruction) {
            kinds.add("reconstruction");
        }
        return kinds;
    }

    private static List<JobEvent> events(Connection connection, UUID id) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "select at, kind, detail from job_events where job_id = ? order by id")) {
            statement.setObject(1, id);
            List<JobEvent> events = new ArrayList<>();
            try (ResultSet r = statement.executeQuery()) {
                while (r.next()) {
                    events.add(new JobEvent(instant(r, 1), r.getString(2), r.getString(3)));
                }
            }
            return events;
        }
    }

    /** A page of history, newest first (keyset paging on (created_at, id)). */
    public JobPage list(String owner, HistoryQuery query) throws SQLException {
        StringBuilder sql = new StringBuilder("""
                select j.id, j.model_id, j.experiment_id, j.problem_kind, j.status, j.created_at, j.finished_at,
                       r.psnr, r.ssim
                from jobs j left join results r on r.job_id = j.id
                where j.owner = ?
                """);
        List<Object> args = new ArrayList<>();
        args.add(owner);
        if (query.status() != null) {
            sql.append(" and j.status = ?");
            args.add(query.status().name());
        }
        if (query.model() != null) {
            sql.append(" and j.model_id = ?");
            args.add(query.model());
        }
        if (query.experiment() != null) {
            sql.append(" and j.experiment_id = ?");
            args.add(query.experiment());
        }
        if (query.since() != null) {
            sql.append(" and j.created_at >= ?");
            args.add(Timestamp.from(query.since()));
        }
        if (query.after() != null) {
            sql.append(" and (j.created_at, j.id) < (?, ?)");
            args.add(Timestamp.from(query.after().createdAt()));
            args.add(query.after().id());
        }
        sql.append(" order by j.created_at desc, j.id desc limit ?");
        args.add(query.limit() + 1);

        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(sql.toString())) {
            for (int i = 0; i < args.size(); i++) {
                statement.setObject(i + 1, args.get(i));
            }
            List<JobSummary> items = new ArrayList<>();
            try (ResultSet r = statement.executeQuery()) {
                while (r.next()) {
                    items.add(new JobSummary(r.getObject(1, UUID.class), r.getString(2), r.getObject(3, UUID.class),
                            r.getString(4), JobStatus.valueOf(r.getString(5)), instant(r, 6), instant(r, 7),
                            nullableDouble(r, 8), nullableDouble(r, 9)));
                }
            }
            if (items.size() <= query.limit()) {
                return new JobPage(items, null);
            }
            List<JobSummary> page = items.subList(0, query.limit());
            JobSummary last = page.get(page.size() - 1);
            return new JobPage(List.copyOf(page), new HistoryQuery.Cursor(last.createdAt(), last.id()).encode());
        }
    }

    public Progress progress(String owner, UUID id) throws SQLException {
        JobStatus status = statusOf(owner, id);
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement("""
                     select iteration, loss, psnr, elapsed_millis from job_progress where job_id = ? order by iteration
                     """)) {
            statement.setObject(1, id);
            List<ProgressPoint> points = new ArrayList<>();
            try (ResultSet r = statement.executeQuery()) {
                while (r.next()) {
                    points.add(new ProgressPoint(r.getInt(1), r.getDouble(2), nullableDouble(r, 3), r.getLong(4)));
                }
            }
            return new Progress(id, status, points);
        }
    }

    /** Which image of a job {@code GET .../image?kind=} serves. */
    public enum ImageKind {
        RECONSTRUCTION, TRUTH, MEASUREMENT;

        public static ImageKind parse(String text) {
            if (text == null || text.isBlank()) {
                return RECONSTRUCTION;
            }
            try {
                return valueOf(text.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("invalid-query",
                        "kind must be one of reconstruction, truth, measurement; got '" + text + "'");
            }
        }
    }

    /** PNG bytes of one of the job's images; 404 with the reason when it does not exist (yet). */
    public byte[] image(String owner, UUID id, ImageKind kind) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement("""
                     select j.status, j.problem_kind, r.job_id is not null, r.reconstruction_png,
                            coalesce(r.measurement_png, i.measurement_png), i.truth_png
                     from jobs j left join results r on r.job_id = j.id left join job_inputs i on i.job_id = j.id
                     where j.id = ? and j.owner = ?
                     """)) {
            statement.setObject(1, id);
            statement.setString(2, owner);
            try (ResultSet r = statement.executeQuery()) {
                if (!r.next()) {
                    throw JobIds.notFound(id);
                }
                String status = r.getString(1);
                boolean hasResult = r.getBoolean(3);
                byte[] png = switch (kind) {
                    case RECONSTRUCTION -> r.getBytes(4);
                    case MEASUREMENT -> r.getBytes(5);
                    case TRUTH -> r.getBytes(6);
                };
                if (png != null) {
                    return png;
                }
                String why = switch (kind) {
                    case RECONSTRUCTION -> "job " + id + " has no reconstruction yet (status " + status + ")";
                    case TRUTH -> "job " + id + " was submitted without a truth image";
                    case MEASUREMENT -> "compressive-sensing".equals(r.getString(2))
                            ? "the measurements of compressive-sensing job " + id + " are a vector, not an image"
                            : "job " + id + " has no measurement image " + (hasResult ? "" : "yet (status " + status + ")");
                };
                throw new ApiException(404, "image-not-available", why.strip());
            }
        }
    }

    JobStatus statusOf(String owner, UUID id) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement("select status from jobs where id = ? and owner = ?")) {
            statement.setObject(1, id);
            statement.setString(2, owner);
            try (ResultSet r = statement.executeQuery()) {
                if (!r.next()) {
                    throw JobIds.notFound(id);
                }
                return JobStatus.valueOf(r.getString(1));
            }
        }
    }

    private static Double nullableDouble(ResultSet r, int column) throws SQLException {
        double value = r.getDouble(column);
        return r.wasNull() ? null : value;
    }

    private static Instant instant(ResultSet r, int column) throws SQLException {
        OffsetDateTime time = r.getObject(column, OffsetDateTime.class);
        return time == null ? null : time.toInstant();
    }

    /**
     * The stored spec as the caller reads it: with the L-BFGS line search said even where the stored form leaves
     * the fixed step ({@code none}) out to keep older rows' text and hash.
     */
    private static JsonNode specView(JsonNode spec) {
        if (spec != null && spec.path("solver") instanceof ObjectNode solver
                && "lbfgs".equals(solver.path("optimizer").asText()) && !solver.has("lineSearch")) {
            solver.put("lineSearch", SolverSettings.NO_LINE_SEARCH);
        }
        return spec;
    }

    private JsonNode json(String text) {
        if (text == null) {
            return null;
        }
        try {
            return mapper.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored JSON is invalid", e);
        }
    }
}
