package io.flowrecon.shared.job;

import com.fasterxml.jackson.databind.JsonNode;
import io.flowrecon.shared.job.SolverSettings.Init;

import java.util.List;
import java.util.Locale;

/** The {@code solver} of a submission, defaults taken from the model's kind. */
final class SolverReader {

    private SolverReader() {
    }

    /** @param modelKind selects the defaults; null when the model is unknown (then defaults are generic) */
    static SolverSettings readSolver(JsonNode node, String modelKind, JsonChecks c) {
        SolverSettings d = SolverSettings.defaultsFor(modelKind == null ? "" : modelKind);
        if (node == null || node.isNull()) {
            return d;
        }
        if (!c.object(node, "solver")) {
            return null;
        }
        c.allowOnly(node, "solver", List.of("optimizer", "steps", "lr", "gamma", "lambda", "restarts", "init",
                "lineSearch"));
        String optimizer = d.optimizer();
        String given = c.text(node.get("optimizer"), "solver.optimizer", false);
        if (given != null) {
            optimizer = given.toLowerCase(Locale.ROOT);
            if (!SpecLimits.OPTIMIZERS.contains(optimizer)) {
                c.add("solver.optimizer", "unknown optimizer '" + given + "'; allowed: " + String.join(", ", SpecLimits.OPTIMIZERS));
                optimizer = null;
            } else if (JobSpecValidator.optimizerForKind(optimizer, modelKind) != null) {
                c.add("solver.optimizer", JobSpecValidator.optimizerForKind(optimizer, modelKind));
                optimizer = null;
            }
        }
        Long steps = c.integer(node.get("steps"), "solver.steps", false, 1, SpecLimits.MAX_STEPS, (long) d.steps());
        Double lr = c.number(node.get("lr"), "solver.lr", false, 0.0, true, d.lr());
        Double gamma = c.number(node.get("gamma"), "solver.gamma", false, 0.0, false, d.gamma());
        Double lambda = c.number(node.get("lambda"), "solver.lambda", false, 0.0, false, d.lambda());
        Long restarts = c.integer(node.get("restarts"), "solver.restarts", false, 1, SpecLimits.MAX_RESTARTS, (long) d.restarts());
        Init init = readInit(node.get("init"), d.init(), c);
        if (init != null && JobSpecValidator.initForKind(init, modelKind) != null) {
            c.add("solver.init.kind", JobSpecValidator.initForKind(init, modelKind));
            init = null;
        }
        String lineSearch = readLineSearch(node.get("lineSearch"), optimizer, d, c);
        if (optimizer == null || steps == null || lr == null || gamma == null || lambda == null
                || restarts == null || init == null || lineSearch == null) {
            return null;
        }
        return new SolverSettings(optimizer, steps.intValue(), lr, gamma, lambda, restarts.intValue(), init, lineSearch);
    }

    /**
     * L-BFGS takes {@code none} or {@code strong-wolfe}, the kind's default when left out; the other optimisers
     * have none, so a line search asked of them is an error, and an optimiser chosen other than the kind's
     * default drops the default's line search.
     */
    private static String readLineSearch(JsonNode node, String optimizer, SolverSettings d, JsonChecks c) {
        String given = c.text(node, "solver.lineSearch", false);
        if (given == null) {
            if (node != null && !node.isNull()) {
                return null; // not a string: c has the error
            }
            if (optimizer == null) {
                return SolverSettings.NO_LINE_SEARCH;
            }
            return optimizer.equals(d.optimizer()) ? d.lineSearch() : SolverSettings.NO_LINE_SEARCH;
        }
        String search = given.toLowerCase(Locale.ROOT);
        if (!SpecLimits.LINE_SEARCHES.contains(search)) {
            c.add("solver.lineSearch", "unknown line search '" + given + "'; allowed: " + String.join(", ", SpecLimits.LINE_SEARCHES));
            return null;
        }
        if (optimizer != null && !optimizer.equals("lbfgs") && !search.equals(SolverSettings.NO_LINE_SEARCH)) {
            c.add("solver.lineSearch", "a line search needs solver.optimizer lbfgs, got " + optimizer);
            return null;
        }
        return search;
    }

    private static Init readInit(JsonNode node, Init defaultInit, JsonChecks c) {
        String field = "solver.init";
        if (node == null || node.isNull()) {
            return defaultInit;
        }
        if (!c.object(node, field)) {
            return null;
        }
        String kind = c.text(node.get("kind"), field + ".kind", true);
        if (kind == null) {
            return null;
        }
        switch (kind) {
            case "zero" -> {
                c.allowOnly(node, field, List.of("kind"));
                return new Init.Zero();
            }
            case "random" -> {
                c.allowOnly(node, field, List.of("kind", "std", "seed"));
                Double std = c.number(node.get("std"), field + ".std", false, 0.0, true, 1.0);
                Long seed = c.seed(node.get("seed"), field + ".seed");
                return std == null || seed == null ? null : new Init.RandomNormal(std, seed);
            }
            default -> {
                c.add(field + ".kind", "unknown init kind '" + kind + "'; allowed: " + String.join(", ", SpecLimits.INIT_KINDS));
                return null;
            }
        }
    }
}
