package io.flowrecon.api.experiment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flowrecon.api.config.ApiConfig;
import io.flowrecon.api.experiment.ExperimentJobsWriter.GridJob;
import io.flowrecon.api.experiment.ExperimentViews.ExperimentCreated;
import io.flowrecon.api.experiment.grid.ExperimentGrid;
import io.flowrecon.api.experiment.grid.GridPoint;
import io.flowrecon.api.imageset.ImageSetStore;
import io.flowrecon.api.imageset.ImageSetViews.ImageSetSummary;
import io.flowrecon.api.job.JobSubmitter;
import io.flowrecon.api.limits.Quotas;
import io.flowrecon.shared.job.InvalidSpecException;
import io.flowrecon.shared.job.SpecViolation;
import io.flowrecon.shared.job.Submission;
import jakarta.enterprise.context.ApplicationScoped;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Experiments over image sets: {@code {"name": ..., "images": {"imageSet": ID, "indices": [...]}, <grid axes>}}
 * (see {@link ExperimentGrid}). The grid is counted before it is built, so an oversized grid is refused at once;
 * every point is validated as a submitted job would be, and all jobs are written in one transaction.
 */
@ApplicationScoped
public class GridExperiments {

    private static final Set<String> OWN_FIELDS = Set.of("name", "images");

    private final DataSource dataSource;
    private final JobSubmitter submitter;
    private final ImageSetStore imageSets;
    private final ObjectMapper mapper;
    private final ExperimentEstimates estimates;
    private final int maxJobs;
    private final Quotas quotas;

    public GridExperiments(DataSource dataSource, JobSubmitter submitter, ImageSetStore imageSets, ObjectMapper mapper,
                           ExperimentEstimates estimates, ApiConfig config, Quotas quotas) {
        this.quotas = quotas;
        this.dataSource = dataSource;
        this.submitter = submitter;
        this.imageSets = imageSets;
        this.mapper = mapper;
        this.estimates = estimates;
        this.maxJobs = config.experiments().maxJobs();
    }

    /** True when the body is a grid over an image set (the other form sweeps one uploaded image). */
    static boolean isGrid(JsonNode root) {
        return root.has("images") || root.has("problems");
    }

    ExperimentCreated create(String owner, ObjectNode root) throws SQLException, JsonProcessingException {
        List<SpecViolation> violations = new ArrayList<>();
        root.fieldNames().forEachRemaining(field -> {
            if (!OWN_FIELDS.contains(field) && !ExperimentGrid.fields().contains(field)) {
                violations.add(new SpecViolation(field, "unknown field; allowed: name, images, models, problems, solver, seeds"));
            }
        });
        String name = name(root.get("name"), violations);
        ImageSetSummary set = imageSet(owner, root.get("images"), violations);
        if (set == null) {
            throw new InvalidSpecException(violations);
        }
        List<Integer> indices = indices(root.get("images").get("indices"), set.count(), violations);
        int n = set.shape().get(0) * set.shape().get(1) * set.shape().get(2);
        ExperimentGrid grid = ExperimentGrid.read(root, n, violations);
        if (grid == null || !violations.isEmpty()) {
            throw new InvalidSpecException(violations);
        }
        long size = grid.jobsPerImage() * indices.size();
        if (size > maxJobs) {
            throw new InvalidSpecException(List.of(new SpecViolation("problems",
                    "the grid expands to " + size + " jobs (" + indices.size() + " images x " + grid.jobsPerImage()
                            + " points); at most " + maxJobs + " per experiment")));
        }
        quotas.checkExperimentSize(size);
        UUID id = UUID.randomUUID();
        List<GridJob> jobs = validate(grid.expand(indices), imageSets.pngs(set.id()), id, set.id());
        ExperimentJobsWriter.Written written;
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                try (PreparedStatement insert = connection.prepareStatement("""
                        insert into experiments (id, owner, name, spec, image_set_id, job_count)
                        values (?, ?, ?, ?::jsonb, ?, ?)
                        """)) {
                    insert.setObject(1, id);
                    insert.setString(2, owner);
                    insert.setString(3, name);
                    insert.setString(4, mapper.writeValueAsString(root));
                    insert.setObject(5, set.id());
                    insert.setInt(6, jobs.size());
                    insert.executeUpdate();
                }
                written = new ExperimentJobsWriter(mapper).insert(connection, owner, id, jobs);
                quotas.checkQueued(connection, owner, written.queuedModels().size());
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        }
        return new ExperimentCreated(id, name, written.ids().size(), written.ids(), written.reused(),
                estimates.estimateSeconds(written.queuedModels()));
    }

    /** Each point as a submitted job; every distinct violation once, with the first point that broke it. */
    private List<GridJob> validate(List<GridPoint> points, List<byte[]> pngs, UUID experiment, UUID set)
            throws SQLException, JsonProcessingException {
        String[] base64 = new String[pngs.size()];
        Set<String> seen = new HashSet<>();
        Set<SpecViolation> violations = new LinkedHashSet<>();
        List<GridJob> jobs = new ArrayList<>(points.size());
        for (GridPoint point : points) {
            int image = point.imageIndex();
            if (base64[image] == null) {
                base64[image] = Base64.getEncoder().encodeToString(pngs.get(image));
            }
            ObjectNode job = point.job();
            job.put("experiment", experiment.toString());
            job.putObject("truth").put("png", base64[image]);
            try {
                Submission submission = submitter.validate(job);
                jobs.add(new GridJob(submission, mapper.writeValueAsString(point.axes()), set, image));
            } catch (InvalidSpecException e) {
                for (SpecViolation v : e.violations()) {
                    if (seen.add(v.field() + "\n" + v.rule())) {
                        ObjectNode where = point.axes().deepCopy();
                        where.remove("image");
                        violations.add(new SpecViolation(v.field(), v.rule() + " (grid point " + where + ")"));
                    }
                }
            }
        }
        if (!violations.isEmpty()) {
            throw new InvalidSpecException(List.copyOf(violations));
        }
        return jobs;
    }

    private static String name(JsonNode node, List<SpecViolation> violations) {
        if (node == null) {
            return "experiment";
        }
        if (!node.isTextual() || node.asText().isBlank() || node.asText().length() > 200) {
            violations.add(new SpecViolation("name", "must be a non-empty string of at most 200 characters"));
            return null;
        }
        return node.asText();
    }

    private ImageSetSummary imageSet(String owner, JsonNode images, List<SpecViolation> violations) throws SQLException {
        if (images == null || !images.isObject() || !images.path("imageSet").isTextual()) {
            violations.add(new SpecViolation("images.imageSet", "required: the id of an image set (POST /api/v1/image-sets)"));
            return null;
        }
        UUID id;
        try {
            id = UUID.fromString(images.get("imageSet").asText());
        } catch (IllegalArgumentException e) {
            violations.add(new SpecViolation("images.imageSet", "must be an image set id (a UUID)"));
            return null;
        }
        ImageSetSummary set = imageSets.find(owner, id).orElse(null);
        if (set == null) {
            violations.add(new SpecViolation("images.imageSet", "no image set " + id + " (GET /api/v1/image-sets lists yours)"));
        }
        images.fieldNames().forEachRemaining(field -> {
            if (!field.equals("imageSet") && !field.equals("indices")) {
                violations.add(new SpecViolation("images." + field, "unknown field; allowed: imageSet, indices"));
            }
        });
        return set;
    }

    private static List<Integer> indices(JsonNode node, int count, List<SpecViolation> violations) {
        List<Integer> indices = new ArrayList<>();
        if (node == null) {
            for (int i = 0; i < count; i++) {
                indices.add(i);
            }
            return indices;
        }
        if (!node.isArray() || node.isEmpty()) {
            violations.add(new SpecViolation("images.indices", "must be a non-empty list of image indices"));
            return indices;
        }
        for (int i = 0; i < node.size(); i++) {
            JsonNode index = node.get(i);
            if (!index.isIntegralNumber() || index.asInt() < 0 || index.asInt() >= count) {
                violations.add(new SpecViolation("images.indices[" + i + "]", "must be an index in 0.." + (count - 1)));
            } else if (indices.contains(index.asInt())) {
                violations.add(new SpecViolation("images.indices[" + i + "]", index.asInt() + " is listed twice"));
            } else {
                indices.add(index.asInt());
            }
        }
        return indices;
    }
}
