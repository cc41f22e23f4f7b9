package io.flowrecon.shared.job;

import com.fasterxml.jackson.databind.JsonNode;
import io.flowrecon.shared.job.Problem.CompressiveSensing;

import java.util.List;
import java.util.UUID;

/**
 * Reads a submitted job (the wire form: model, problem, truth or measurements, solver, experiment) into its
 * typed spec and binary inputs, reporting every violation at once, each naming its field and its rule.
 */
public final class SubmissionReader {

    private SubmissionReader() {
    }

    /**
     * Validates a submitted job and returns its spec (defaults filled in) and binary inputs.
     *
     * @throws InvalidSpecException listing every violation found
     */
    public static Submission read(JsonNode body, ModelLookup models) {
        if (body == null || !body.isObject()) {
            throw new InvalidSpecException(List.of(new SpecViolation("body", "must be a JSON object")));
        }
        JsonChecks c = new JsonChecks();
        c.allowOnly(body, "", List.of("model", "experiment", "problem", "truth", "measurements", "solver"));

        ModelLookup.ModelInfo model = readModel(body.get("model"), models, c);
        String experiment = readExperiment(body.get("experiment"), c);
        String problemKind = peekProblemKind(body.get("problem"));
        InputsReader.Inputs inputs = InputsReader.readInputs(body, problemKind, model, c);
        Problem problem = ProblemReader.readProblem(body.get("problem"), inputs.shape, c);
        String modelKind = model == null ? null : model.kind();
        SolverSettings solver = SolverReader.readSolver(body.get("solver"), modelKind, c);

        if (problem instanceof CompressiveSensing cs && inputs.values != null
                && JobSpecValidator.vectorLength(inputs.values.length, cs.m()) != null) {
            c.add(inputs.valuesField, JobSpecValidator.vectorLength(inputs.values.length, cs.m()));
        }
        c.throwIfAny();
        JobSpec spec = new JobSpec(model.id(), problem, solver, experiment);
        return new Submission(spec, new JobInputs(inputs.truthPng, inputs.measurementPng, inputs.values, inputs.shape));
    }

    private static ModelLookup.ModelInfo readModel(JsonNode node, ModelLookup models, JsonChecks c) {
        String id = c.text(node, "model", true);
        if (id == null) {
            return null;
        }
        var found = models.find(id);
        if (found.isEmpty()) {
            c.add("model", "unknown model '" + id + "'; registered: " + String.join(", ", models.ids()));
            return null;
        }
        if (!found.get().ready()) {
            c.add("model", "model '" + id + "' is " + found.get().status() + ", not ready: jobs can use it once its checks pass"
                    + " (GET /api/v1/models/" + id + " shows its status and reason)");
            return null;
        }
        return found.get();
    }

    static String readExperiment(JsonNode node, JsonChecks c) {
        String text = c.text(node, "experiment", false);
        if (text == null) {
            return null;
        }
        try {
            return UUID.fromString(text).toString();
        } catch (IllegalArgumentException e) {
            c.add("experiment", "must be an experiment id (a UUID), got '" + text + "'");
            return null;
        }
    }

    private static String peekProblemKind(JsonNode problem) {
        if (problem == null || !problem.isObject() || !problem.path("kind").isTextual()) {
            return null;
        }
        String kind = problem.get("kind").asText();
        return SpecLimits.PROBLEM_KINDS.contains(kind) ? kind : null;
    }
}
