package io.flowrecon.shared.job;

import java.util.List;

/** A submission broke one or more rules; all of them are listed, not just the first. */
public class InvalidSpecException extends RuntimeException {

    private final List<SpecViolation> violations;

    public InvalidSpecException(List<SpecViolation> violations) {
        super(message(violations));
        this.violations = List.copyOf(violations);
    }

    public List<SpecViolation> violations() {
        return violations;
    }

    private static String message(List<SpecViolation> violations) {
        if (violations.isEmpty()) {
            throw new IllegalArgumentException("an invalid spec has at least one violation");
        }
        StringBuilder text = new StringBuilder("invalid job spec: ");
        for (int i = 0; i < violations.size(); i++) {
            text.append(i == 0 ? "" : "; ").append(violations.get(i));
        }
        return text.toString();
    }
}
