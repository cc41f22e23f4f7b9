package io.flowrecon.api.experiment.grid;

import com.fasterxml.jackson.databind.JsonNode;
import io.flowrecon.shared.job.SpecViolation;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Reads axis lists (a JSON array, or one value standing for a list of one) and records what is wrong. */
final class JsonAxes {

    private final List<SpecViolation> violations;

    JsonAxes(List<SpecViolation> violations) {
        this.violations = violations;
    }

    List<SpecViolation> violations() {
        return violations;
    }

    /** The values of a required, non-empty axis. */
    List<JsonNode> list(JsonNode node, String field) {
        List<JsonNode> values = new ArrayList<>();
        if (node == null || node.isNull()) {
            violations.add(new SpecViolation(field, "required: a non-empty list"));
        } else if (node.isArray()) {
            if (node.isEmpty()) {
                violations.add(new SpecViolation(field, "must be a non-empty list"));
            }
            node.forEach(values::add);
        } else {
            values.add(node);
        }
        return values;
    }

    List<String> strings(JsonNode node, String field) {
        List<String> values = new ArrayList<>();
        List<JsonNode> items = list(node, field);
        for (int i = 0; i < items.size(); i++) {
            if (!items.get(i).isTextual() || items.get(i).asText().isBlank()) {
                violations.add(new SpecViolation(field + "[" + i + "]", "must be a non-empty string"));
            } else if (values.contains(items.get(i).asText())) {
                violations.add(new SpecViolation(field + "[" + i + "]", "'" + items.get(i).asText() + "' is listed twice"));
            } else {
                values.add(items.get(i).asText());
            }
        }
        return values;
    }

    List<Long> longs(JsonNode node, String field) {
        List<Long> values = new ArrayList<>();
        List<JsonNode> items = list(node, field);
        for (int i = 0; i < items.size(); i++) {
            if (!items.get(i).canConvertToLong() || !items.get(i).isIntegralNumber() || items.get(i).asLong() < 0) {
                violations.add(new SpecViolation(field + "[" + i + "]", "must be an integer >= 0"));
            } else if (values.contains(items.get(i).asLong())) {
                violations.add(new SpecViolation(field + "[" + i + "]", items.get(i).asLong() + " is listed twice"));
            } else {
                values.add(items.get(i).asLong());
            }
        }
        return values;
    }

    /** Numbers in (low, high]. */
    List<Double> numbers(JsonNode node, String field, double lowExclusive, double highInclusive) {
        List<Double> values = new ArrayList<>();
        List<JsonNode> items = list(node, field);
        for (int i = 0; i < items.size(); i++) {
            double value = items.get(i).asDouble();
            if (!items.get(i).isNumber() || !(value > lowExclusive && value <= highInclusive)) {
                violations.add(new SpecViolation(field + "[" + i + "]",
                        "must be a number in (" + lowExclusive + ", " + highInclusive + "]"));
            } else {
                values.add(value);
            }
        }
        return values;
    }

    /** Objects, each with a {@code kind}. */
    List<JsonNode> kinds(JsonNode node, String field) {
        List<JsonNode> values = list(node, field);
        for (int i = 0; i < values.size(); i++) {
            if (!values.get(i).isObject() || !values.get(i).path("kind").isTextual()) {
                violations.add(new SpecViolation(field + "[" + i + "]", "must be an object with a \"kind\""));
            }
        }
        return values;
    }

    void unknownFields(JsonNode node, String field, Set<String> allowed) {
        if (node == null || !node.isObject()) {
            return;
        }
        node.fieldNames().forEachRemaining(name -> {
            if (!allowed.contains(name)) {
                violations.add(new SpecViolation(field + "." + name,
                        "unknown field; allowed: " + String.join(", ", allowed.stream().sorted().toList())));
            }
        });
    }
}
