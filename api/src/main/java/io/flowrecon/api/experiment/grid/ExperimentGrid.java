package io.flowrecon.api.experiment.grid;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flowrecon.shared.job.SpecViolation;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * An experiment's grid: the cartesian product of its axes, over the images of an image set.
 *
 * <pre>
 * {"models":   ["celeba32-glow", "lasso-dct"],
 *  "problems": [{"kind": "compressive-sensing", "ratio": [0.05, 0.1], "operator": ["gaussian"],
 *                "noise": [{"kind": "gaussian-norm", "norm": 0.1}]},
 *               {"kind": "denoising", "noise": [{"kind": "gaussian", "std": 0.1}]},
 *               {"kind": "inpainting", "mask": [{"kind": "center-block", "size": 12}]}],
 *  "solver":   {"gamma": [0, 0.01], "steps": [30]},
 *  "seeds":    {"operator": [7, 8], "noise": [1]}}
 * </pre>
 *
 * Every list may be given as a single value. Compressive sensing takes {@code m} or {@code ratio} (m / n, rounded
 * to the nearest integer m >= 1). Operator seeds multiply only the problems they change (compressive sensing and
 * random-pixel masks); noise seeds only noisy problems. Each point's axes are recorded with its job, so that
 * summaries group by every axis but the image and the seeds.
 */
public final class ExperimentGrid {

    /** The axes a summary cell does not group by: its replicates. */
    public static final Set<String> REPLICATE_AXES = Set.of("image", "operatorSeed", "noiseSeed");

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Set<String> FIELDS = Set.of("models", "problems", "solver", "seeds");
    /** The solver settings a grid may sweep, in the order their product is formed. */
    private static final List<String> SOLVER_AXES = List.of("optimizer", "lineSearch", "steps", "lr", "gamma", "lambda",
            "restarts", "init");
    private static final Set<String> SOLVER_FIELDS = Set.copyOf(SOLVER_AXES);
    private static final Set<String> PROBLEM_KINDS = Set.of("denoising", "compressive-sensing", "inpainting");

    private final List<String> models;
    private final List<ProblemAxis> problems;
    private final List<ObjectNode> solvers;
    private final List<Long> operatorSeeds;
    private final List<Long> noiseSeeds;

    private ExperimentGrid(List<String> models, List<ProblemAxis> problems, List<ObjectNode> solvers,
                           List<Long> operatorSeeds, List<Long> noiseSeeds) {
        this.models = models;
        this.problems = problems;
        this.solvers = solvers;
        this.operatorSeeds = operatorSeeds;
        this.noiseSeeds = noiseSeeds;
    }

    /**
     * Reads the grid axes of an experiment body (the fields {@code models}, {@code problems}, {@code solver},
     * {@code seeds}); rule violations are added to {@code violations} and null is returned when any was found.
     *
     * @param n the number of values of one image (C x H x W), for ratios
     */
    public static ExperimentGrid read(JsonNode body, int n, List<SpecViolation> violations) {
        int before = violations.size();
        JsonAxes axes = new JsonAxes(violations);
        List<String> models = axes.strings(body.get("models"), "models");
        List<ProblemAxis> problems = new ArrayList<>();
        JsonNode problemList = body.get("problems");
        List<JsonNode> problemNodes = axes.list(problemList, "problems");
        for (int i = 0; i < problemNodes.size(); i++) {
            ProblemAxis problem = ProblemAxis.read(problemNodes.get(i), "problems[" + i + "]", n, axes);
            if (problem != null) {
                problems.add(problem);
            }
        }
        List<ObjectNode> solvers = solverPoints(body.get("solver"), axes);
        JsonNode seeds = body.get("seeds");
        if (seeds != null && !seeds.isObject()) {
            violations.add(new SpecViolation("seeds", "must be an object {\"operator\": [...], \"noise\": [...]}"));
            seeds = null;
        }
        axes.unknownFields(seeds, "seeds", Set.of("operator", "noise"));
        List<Long> operatorSeeds = seeds == null || seeds.get("operator") == null ? List.of(0L)
                : axes.longs(seeds.get("operator"), "seeds.operator");
        List<Long> noiseSeeds = seeds == null || seeds.get("noise") == null ? List.of(0L)
                : axes.longs(seeds.get("noise"), "seeds.noise");
        if (violations.size() > before) {
            return null;
        }
        return new ExperimentGrid(models, problems, solvers, operatorSeeds, noiseSeeds);
    }

    /** Axes in the order people read them: what was solved, how it was measured, how it was solved, replicates. */
    public static final List<String> AXIS_ORDER = List.of("model", "problem", "m", "ratio", "operator", "noise",
            "noiseStd", "noiseNorm", "mask", "maskSize", "missingFraction", "optimizer", "lineSearch", "steps", "lr", "gamma",
            "lambda", "restarts", "init", "operatorSeed", "noiseSeed", "image");

    /** The same axes in {@link #AXIS_ORDER} (PostgreSQL's jsonb hands keys back in an order of its own). */
    public static ObjectNode inAxisOrder(ObjectNode axes) {
        ObjectNode ordered = NODES.objectNode();
        for (String axis : AXIS_ORDER) {
            if (axes.has(axis)) {
                ordered.set(axis, axes.get(axis));
            }
        }
        axes.fields().forEachRemaining(field -> {
            if (!ordered.has(field.getKey())) {
                ordered.set(field.getKey(), field.getValue());
            }
        });
        return ordered;
    }

    /** The grid fields an experiment body may have besides its own (name, images). */
    public static Set<String> fields() {
        return FIELDS;
    }

    /** How many jobs the grid makes per image, without building them. */
    public long jobsPerImage() {
        long perModel = 0;
        for (ProblemAxis problem : problems) {
            perModel += (long) problem.points().size()
                    * (problem.usesOperatorSeed() ? operatorSeeds.size() : 1)
                    * (problem.usesNoiseSeed() ? noiseSeeds.size() : 1);
        }
        return perModel * models.size() * solvers.size();
    }

    /** Every point for every image index, images outermost so that early results cover all cells. */
    public List<GridPoint> expand(List<Integer> imageIndices) {
        List<GridPoint> points = new ArrayList<>();
        for (int image : imageIndices) {
            for (String model : models) {
                for (ProblemAxis problem : problems) {
                    for (ProblemAxis.Point point : problem.points()) {
                        for (ObjectNode solver : solvers) {
                            for (long operatorSeed : problem.usesOperatorSeed() ? operatorSeeds : List.of(-1L)) {
                                for (long noiseSeed : problem.usesNoiseSeed() ? noiseSeeds : List.of(-1L)) {
                                    points.add(point(image, model, point, solver, operatorSeed, noiseSeed));
                                }
                            }
                        }
                    }
                }
            }
        }
        return points;
    }

    private static GridPoint point(int image, String model, ProblemAxis.Point problem, ObjectNode solver,
                                   long operatorSeed, long noiseSeed) {
        ObjectNode job = NODES.objectNode();
        job.put("model", model);
        ObjectNode problemSpec = problem.spec(operatorSeed, noiseSeed);
        job.set("problem", problemSpec);
        if (!solver.isEmpty()) {
            job.set("solver", solver.deepCopy());
        }
        ObjectNode axes = NODES.objectNode();
        axes.put("model", model);
        axes.setAll(problem.axes());
        solver.fields().forEachRemaining(field -> axes.set(field.getKey(),
                field.getValue().isObject() ? NODES.textNode(settingLabel(field.getValue())) : field.getValue()));
        if (operatorSeed >= 0) {
            axes.put("operatorSeed", operatorSeed);
        }
        if (noiseSeed >= 0) {
            axes.put("noiseSeed", noiseSeed);
        }
        axes.put("image", image);
        return new GridPoint(job, axes, image);
    }

    /**
     * An object-valued setting as one axis value: its kind, then its other fields, e.g. {@code random(std=0.7,seed=3)};
     * two inits of one kind that differ in a parameter are two cells of the summary, not one.
     */
    static String settingLabel(JsonNode setting) {
        StringBuilder label = new StringBuilder(setting.path("kind").asText());
        List<String> parameters = new ArrayList<>();
        setting.fields().forEachRemaining(f -> {
            if (!f.getKey().equals("kind")) {
                parameters.add(f.getKey() + "=" + (f.getValue().isValueNode() ? f.getValue().asText() : f.getValue().toString()));
            }
        });
        if (!parameters.isEmpty()) {
            label.append('(').append(String.join(",", parameters)).append(')');
        }
        return label.toString();
    }

    /** The cartesian product of the solver setting lists, each point an object of single values. */
    private static List<ObjectNode> solverPoints(JsonNode solver, JsonAxes axes) {
        List<ObjectNode> points = new ArrayList<>(List.of(NODES.objectNode()));
        if (solver == null) {
            return points;
        }
        if (!solver.isObject()) {
            axes.violations().add(new SpecViolation("solver", "must be an object of setting lists, e.g. {\"gamma\": [0, 0.01]}"));
            return points;
        }
        axes.unknownFields(solver, "solver", SOLVER_FIELDS);
        for (String field : SOLVER_AXES) {
            if (solver.get(field) == null) {
                continue;
            }
            List<JsonNode> values = axes.list(solver.get(field), "solver." + field);
            List<ObjectNode> next = new ArrayList<>();
            for (ObjectNode point : points) {
                for (JsonNode value : values) {
                    next.add(point.deepCopy().set(field, value));
                }
            }
            points = next;
        }
        return points;
    }
}
