package io.flowrecon.api.imageset;

import io.flowrecon.shared.job.SpecViolation;

import java.util.List;

/** An upload that breaks a rule; every violation names the entry (field) and the rule. */
final class InvalidImageSetException extends RuntimeException {

    private final List<SpecViolation> violations;

    InvalidImageSetException(List<SpecViolation> violations) {
        super(violations.size() + " problem(s) with the image set: " + violations);
        this.violations = List.copyOf(violations);
    }

    static InvalidImageSetException of(String field, String rule) {
        return new InvalidImageSetException(List.of(new SpecViolation(field, rule)));
    }

    List<SpecViolation> violations() {
        return violations;
    }
}
