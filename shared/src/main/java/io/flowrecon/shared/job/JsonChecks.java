package io.flowrecon.shared.job;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/** Collects violations while reading typed values; a reader returns null when its value is unusable. */
final class JsonChecks {
    final List<SpecViolation> violations = new ArrayList<>();

    /** Always false, so that callers can write {@code ok = c.add(...)}. */
    boolean add(String field, String rule) {
        violations.add(new SpecViolation(field, rule));
        return false;
    }

    void throwIfAny() {
        if (!violations.isEmpty()) {
            throw new InvalidSpecException(violations);
        }
    }

    boolean object(JsonNode node, String field) {
        return node.isObject() || add(field, "must be an object");
    }

    void allowOnly(JsonNode node, String prefix, List<String> allowed) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!allowed.contains(name)) {
                add(prefix.isEmpty() ? name : prefix + "." + name, "unknown field; allowed: " + String.join(", ", allowed));
            }
        }
    }

    String text(JsonNode node, String field, boolean required) {
        if (node == null || node.isNull()) {
            if (required) {
                add(field, "is required");
            }
            return null;
        }
        if (!node.isTextual() || node.asText().isBlank()) {
            add(field, "must be a non-empty string");
            return null;
        }
        return node.asText();
    }

    /** A seed: any 64-bit integer, 0 when absent (still reproducible). */
    Long seed(JsonNode node, String field) {
        return integer(node, field, false, Long.MIN_VALUE, Long.MAX_VALUE, 0L);
    }

    Long integer(JsonNode node, String field, boolean required, long min, long max, Long absent) {
        if (node == null || node.isNull()) {
            if (required) {
                add(field, "is required");
            }
            return required ? null : absent;
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            add(field, "must be an integer");
            return null;
        }
        long value = node.longValue();
        if (value < min || value > max) {
            add(field, "must be between " + min + " and " + max);
            return null;
        }
        return value;
    }

    /** A finite number at least {@code min} (strictly more than it when {@code minExclusive}). */
    Double number(JsonNode node, String field, boolean required, double min, boolean minExclusive, Double absent) {
        if (node == null || node.isNull()) {
            if (required) {
                add(field, "is required");
            }
            return required ? null : absent;
        }
        if (!node.isNumber()) {
            add(field, "must be a number");
            return null;
        }
        double value = node.doubleValue();
        if (!Double.isFinite(value)) {
            add(field, "must be finite");
            return null;
        }
        if (minExclusive ? value <= min : value < min) {
            add(field, "must be " + (minExclusive ? "> " : ">= ") + min);
            return null;
        }
        return value;
    }
}
