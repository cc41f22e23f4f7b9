package io.flowrecon.api.experiment.grid;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flowrecon.shared.job.SpecViolation;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * One entry of an experiment's {@code problems}: a problem kind with lists of its parameters, expanded into
 * points. The job spec of a point is completed with its seeds by {@link Point#spec}; the job spec validator
 * then checks each point as it checks a submitted job.
 */
final class ProblemAxis {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ObjectNode PAPER_NOISE = NODES.objectNode().put("kind", "gaussian-norm").put("norm", 0.1);
    private static final ObjectNode NO_NOISE = NODES.objectNode().put("kind", "none");

    /** A point: the problem spec without seeds, and its axis values. */
    record Point(ObjectNode problem, ObjectNode axes, boolean randomMask) {

        ObjectNode spec(long operatorSeed, long noiseSeed) {
            ObjectNode spec = problem.deepCopy();
            if (operatorSeed >= 0 && spec.has("m")) {
                spec.put("seed", operatorSeed);
            }
            if (operatorSeed >= 0 && randomMask) {
                ((ObjectNode) spec.get("mask")).put("seed", operatorSeed);
            }
            if (noiseSeed >= 0) {
                ((ObjectNode) spec.get("noise")).put("seed", noiseSeed);
            }
            return spec;
        }
    }

    private final List<Point> points;
    private final boolean usesOperatorSeed;
    private final boolean usesNoiseSeed;

    private ProblemAxis(List<Point> points, boolean usesOperatorSeed, boolean usesNoiseSeed) {
        this.points = points;
        this.usesOperatorSeed = usesOperatorSeed;
        this.usesNoiseSeed = usesNoiseSeed;
    }

    List<Point> points() {
        return points;
    }

    boolean usesOperatorSeed() {
        return usesOperatorSeed;
    }

    boolean usesNoiseSeed() {
        return usesNoiseSeed;
    }

    static ProblemAxis read(JsonNode node, String field, int n, JsonAxes axes) {
        List<SpecViolation> violations = axes.violations();
        if (!node.isObject() || !node.path("kind").isTextual()) {
            violations.add(new SpecViolation(field, "must be an object with a \"kind\": denoising, compressive-sensing or inpainting"));
            return null;
        }
        String kind = node.get("kind").asText();
        int before = violations.size();
        List<JsonNode> noises = node.get("noise") == null
                ? List.of(kind.equals("compressive-sensing") ? PAPER_NOISE : NO_NOISE)
                : axes.kinds(node.get("noise"), field + ".noise");
        List<Point> bases = new ArrayList<>();
        boolean operatorSeeded = false;
        switch (kind) {
            case "compressive-sensing" -> {
                axes.unknownFields(node, field, Set.of("kind", "m", "ratio", "operator", "noise"));
                operatorSeeded = true;
                List<String> operators = node.get("operator") == null ? List.of("gaussian")
                        : axes.strings(node.get("operator"), field + ".operator");
                List<ObjectNode> ms = measurementCounts(node, field, n, axes);
                for (ObjectNode m : ms) {
                    for (String operator : operators) {
                        ObjectNode problem = NODES.objectNode().put("kind", kind).put("m", m.get("m").asInt())
                                .put("operator", operator);
                        ObjectNode pointAxes = NODES.objectNode().put("problem", kind);
                        pointAxes.setAll(m);
                        pointAxes.put("operator", operator);
                        bases.add(new Point(problem, pointAxes, false));
                    }
                }
            }
            case "denoising" -> {
                axes.unknownFields(node, field, Set.of("kind", "noise"));
                if (node.get("noise") == null) {
                    violations.add(new SpecViolation(field + ".noise", "required for denoising: a list of noises"));
                }
                bases.add(new Point(NODES.objectNode().put("kind", kind), NODES.objectNode().put("problem", kind), false));
            }
            case "inpainting" -> {
                axes.unknownFields(node, field, Set.of("kind", "mask", "noise"));
                List<JsonNode> masks = axes.kinds(node.get("mask"), field + ".mask");
                for (JsonNode mask : masks) {
                    if (!mask.isObject()) {
                        continue;
                    }
                    boolean random = "random-pixels".equals(mask.path("kind").asText());
                    operatorSeeded |= random;
                    ObjectNode problem = NODES.objectNode().put("kind", kind);
                    problem.set("mask", mask.deepCopy());
                    ObjectNode pointAxes = NODES.objectNode().put("problem", kind).put("mask", mask.path("kind").asText());
                    if (mask.has("size")) {
                        pointAxes.set("maskSize", mask.get("size"));
                    }
                    if (mask.has("missingFraction")) {
                        pointAxes.set("missingFraction", mask.get("missingFraction"));
                    }
                    bases.add(new Point(problem, pointAxes, random));
                }
            }
            default -> {
                violations.add(new SpecViolation(field + ".kind",
                        "must be denoising, compressive-sensing or inpainting, got '" + kind + "'"));
                return null;
            }
        }
        if (violations.size() > before) {
            return null;
        }
        List<Point> points = new ArrayList<>();
        boolean noiseSeeded = false;
        for (Point base : bases) {
            for (JsonNode noise : noises) {
                ObjectNode problem = base.problem().deepCopy();
                problem.set("noise", noise.deepCopy());
                ObjectNode pointAxes = base.axes().deepCopy();
                String noiseKind = noise.path("kind").asText();
                pointAxes.put("noise", noiseKind);
                if (noise.has("std")) {
                    pointAxes.set("noiseStd", noise.get("std"));
                }
                if (noise.has("norm")) {
                    pointAxes.set("noiseNorm", noise.get("norm"));
                }
                noiseSeeded |= !noiseKind.equals("none");
                points.add(new Point(problem, pointAxes, base.randomMask()));
            }
        }
        return new ProblemAxis(points, operatorSeeded, noiseSeeded);
    }

    /** {@code m} as given, or from {@code ratio} = m / n; each a one-or-two-axis object ({@code m}, {@code ratio}). */
    private static List<ObjectNode> measurementCounts(JsonNode node, String field, int n, JsonAxes axes) {
        List<ObjectNode> counts = new ArrayList<>();
        boolean hasM = node.get("m") != null;
        boolean hasRatio = node.get("ratio") != null;
        if (hasM == hasRatio) {
            axes.violations().add(new SpecViolation(field, "give exactly one of m (measurement counts) or ratio (m / n)"));
            return counts;
        }
        if (hasM) {
            List<JsonNode> ms = axes.list(node.get("m"), field + ".m");
            for (int i = 0; i < ms.size(); i++) {
                if (!ms.get(i).isIntegralNumber() || ms.get(i).asInt() < 1 || ms.get(i).asInt() > n) {
                    axes.violations().add(new SpecViolation(field + ".m[" + i + "]", "must be an integer in 1.." + n + " (n of the images)"));
                } else {
                    counts.add(NODES.objectNode().put("m", ms.get(i).asInt()));
                }
            }
        } else {
            for (double ratio : axes.numbers(node.get("ratio"), field + ".ratio", 0, 1)) {
                int m = (int) Math.max(1, Math.round(ratio * n));
                counts.add(NODES.objectNode().put("m", m).put("ratio", ratio));
            }
        }
        return counts;
    }
}
