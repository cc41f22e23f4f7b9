package io.flowrecon.shared.job;

/**
 * One thing wrong with a submitted job spec.
 *
 * @param field JSON-path-like location in the submission, e.g. {@code problem.m}, {@code truth.png},
 *              {@code measurements.values[3]}; {@code body} for the document itself
 * @param rule  what the value must be, phrased so that the user can fix it
 */
public record SpecViolation(String field, String rule) {

    @Override
    public String toString() {
        return field + ": " + rule;
    }
}
