package io.flowrecon.api.experiment;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.flowrecon.api.auth.Callers;
import io.flowrecon.api.error.ApiException;
import io.flowrecon.api.experiment.ExperimentViews.ExperimentCancelled;
import io.flowrecon.api.experiment.ExperimentViews.ExperimentCreated;
import io.flowrecon.api.experiment.ExperimentViews.ExperimentPage;
import io.flowrecon.api.experiment.ExperimentViews.ExperimentSummary;
import io.flowrecon.api.experiment.summary.CellSummary;
import io.flowrecon.api.experiment.summary.ExperimentCsv;
import io.flowrecon.api.experiment.summary.ExperimentPlots;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** Experiments: grids of jobs, their summaries as JSON and CSV, per-job CSV, and plots. */
@Path("/api/v1/experiments")
@Produces(MediaType.APPLICATION_JSON)
public class ExperimentResource {

    private static final String CSV = "text/csv; charset=utf-8";
    private static final Set<String> PLOT_PARAMETERS = Set.of("x", "metric", "scale", "width", "height");

    private final ExperimentService experiments;
    private final Callers callers;

    public ExperimentResource(ExperimentService experiments, Callers callers) {
        this.experiments = experiments;
        this.callers = callers;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(String body, @Context UriInfo uri)
            throws SQLException, JsonProcessingException {
        ExperimentCreated created = experiments.create(callers.owner(), body);
        return Response.accepted(created).location(uri.getAbsolutePathBuilder().path(created.id().toString()).build()).build();
    }

    /** The caller's experiments, newest first, with their progress; an admin key may name another owner. */
    @GET
    public ExperimentPage list(@QueryParam("limit") @DefaultValue("20") int limit,
                               @QueryParam("cursor") String cursor, @QueryParam("owner") String owner)
            throws SQLException {
        if (limit < 1 || limit > 200) {
            throw ApiException.badRequest("invalid-query", "limit must be 1..200, got " + limit);
        }
        return experiments.list(callers.listedOwner(owner), limit, cursor);
    }

    /** Progress and one row per cell; {@code ?format=csv} gives the cells as CSV. */
    @GET
    @Path("/{id}")
    @Produces({MediaType.APPLICATION_JSON, "text/csv"})
    public Response get(@PathParam("id") String id,
                        @QueryParam("format") @DefaultValue("json") String format) throws SQLException {
        ExperimentSummary summary = experiments.summary(callers.owner(), experimentId(id));
        return switch (format) {
            case "json" -> Response.ok(summary, MediaType.APPLICATION_JSON_TYPE).build();
            case "csv" -> Response.ok(ExperimentCsv.cells(summary.cells()), CSV)
                    .header("Content-Disposition", "attachment; filename=\"experiment-" + id + ".csv\"").build();
            default -> throw ApiException.badRequest("invalid-query", "format must be json or csv, got '" + format + "'");
        };
    }

    /** One row per job: every axis value, the metrics and the result's provenance. */
    @GET
    @Path("/{id}/jobs.csv")
    @Produces("text/csv")
    public Response jobsCsv(@PathParam("id") String id) throws SQLException {
        UUID experiment = experimentId(id);
        experiments.record(callers.owner(), experiment);
        return Response.ok(ExperimentCsv.jobs(experiments.rows(experiment)), CSV)
                .header("Content-Disposition", "attachment; filename=\"experiment-" + id + "-jobs.csv\"").build();
    }

    @GET
    @Path("/{id}/plot.png")
    @Produces("image/png")
    public Response plotPng(@PathParam("id") String id,
                            @Context UriInfo uri) throws SQLException {
        Plot plot = plot(id, uri);
        return Response.ok(ExperimentPlots.png(plot.title(), plot.cells(), plot.request()), "image/png").build();
    }

    @GET
    @Path("/{id}/plot.svg")
    @Produces("image/svg+xml")
    public Response plotSvg(@PathParam("id") String id,
                            @Context UriInfo uri) throws SQLException {
        Plot plot = plot(id, uri);
        return Response.ok(ExperimentPlots.svg(plot.title(), plot.cells(), plot.request()), "image/svg+xml").build();
    }

    /**
     * Rows: the first {@code images} images (default 8); columns: truth, measurements, each model's reconstruction
     * at the cell the other query parameters choose (axis=value, e.g. {@code ratio=0.1&operatorSeed=7}).
     */
    @GET
    @Path("/{id}/grid.png")
    @Produces("image/png")
    public Response imageGrid(@PathParam("id") String id,
                              @Context UriInfo uri) throws SQLException {
        var query = uri.getQueryParameters();
        int images = query.getFirst("images") == null ? 8 : size(query.getFirst("images"), "images", 8, 1, 64);
        Map<String, String> filters = new LinkedHashMap<>();
        for (String parameter : query.keySet()) {
            if (!parameter.equals("images")) {
                filters.put(parameter, query.getFirst(parameter));
            }
        }
        return Response.ok(experiments.imageGrid(callers.owner(), experimentId(id), filters, images),
                "image/png").build();
    }

    /** Cancels what has not finished; finished jobs keep their results. */
    @DELETE
    @Path("/{id}")
    public ExperimentCancelled cancel(@PathParam("id") String id)
            throws SQLException {
        UUID experiment = experimentId(id);
        return new ExperimentCancelled(experiment, experiments.cancel(callers.owner(), experiment));
    }

    private record Plot(String title, List<CellSummary> cells, ExperimentPlots.Request request) {
    }

    /**
     * {@code x} (a numeric axis), {@code metric} (psnr or ssim), {@code scale} (linear or log), {@code width},
     * {@code height}; every other parameter names an axis and keeps only the cells with that value.
     */
    private Plot plot(String id, UriInfo uri) throws SQLException {
        var query = uri.getQueryParameters();
        ExperimentSummary summary = experiments.summary(callers.owner(), experimentId(id));
        Set<String> axes = ExperimentPlots.axesOf(summary.cells());
        String x = query.getFirst("x") == null ? (axes.contains("ratio") ? "ratio" : "m") : query.getFirst("x");
        List<String> numeric = axes.stream().filter(ExperimentPlots.NUMERIC_AXES::contains).sorted().toList();
        if (!numeric.contains(x)) {
            throw ApiException.badRequest("invalid-query", "x must be a numeric axis of this experiment: "
                    + (numeric.isEmpty() ? "(none)" : String.join(", ", numeric)) + "; got '" + x + "'");
        }
        String metricName = query.getFirst("metric") == null ? "psnr" : query.getFirst("metric");
        ExperimentPlots.Metric metric;
        try {
            metric = ExperimentPlots.Metric.valueOf(metricName.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("invalid-query", "metric must be psnr or ssim, got '" + metricName + "'");
        }
        String scale = query.getFirst("scale") == null ? "linear" : query.getFirst("scale");
        if (!scale.equals("linear") && !scale.equals("log")) {
            throw ApiException.badRequest("invalid-query", "scale must be linear or log, got '" + scale + "'");
        }
        int width = size(query.getFirst("width"), "width", 800, 100, 4000);
        int height = size(query.getFirst("height"), "height", 500, 100, 4000);
        Map<String, String> filters = new LinkedHashMap<>();
        for (String parameter : query.keySet()) {
            if (PLOT_PARAMETERS.contains(parameter)) {
                continue;
            }
            if (!axes.contains(parameter)) {
                throw ApiException.badRequest("invalid-query", "'" + parameter + "' is not an axis of this experiment;"
                        + " axes: " + String.join(", ", axes) + "; plot parameters: x, metric, scale, width, height");
            }
            filters.put(parameter, query.getFirst(parameter));
        }
        List<CellSummary> cells = ExperimentPlots.filter(summary.cells(), filters);
        String title = summary.name() + (filters.isEmpty() ? "" : " " + filters);
        return new Plot(title, cells, new ExperimentPlots.Request(x, metric, scale.equals("log"), width, height));
    }

    private static int size(String value, String field, int fallback, int min, int max) {
        if (value == null) {
            return fallback;
        }
        try {
            int size = Integer.parseInt(value);
            if (size >= min && size <= max) {
                return size;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ApiException.badRequest("invalid-query", field + " must be an integer in " + min + ".." + max + ", got '"
                + value + "'");
    }

    private static UUID experimentId(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("invalid-id", "experiment id must be a UUID, got '" + id + "'");
        }
    }
}
