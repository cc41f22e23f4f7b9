package io.flowrecon.shared.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flowrecon.shared.job.ImageShape;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The card of a prior ({@code model.json} in its bundle): what it is, what it was trained on,
 * how, and the sha256 of each file of the bundle (Tribuo-style provenance: a result names the
 * model hash, the card says how that model was made).
 *
 * @param id             registry id, e.g. {@code celeba32-glow}
 * @param kind           {@code glow}, {@code dcgan}, {@code lasso-dct}, ... (selects the solver)
 * @param dataset        training data, e.g. {@code celeba}; null for untrained / built-in models
 * @param split          the split trained on, e.g. {@code train}; null when not applicable
 * @param imageShape     the shape G produces; null when the model takes any shape (lasso-dct)
 * @param latentSize     length of z; null when the model has no latent
 * @param valueRange     range of G's output values, [0, 1] for every prior here
 * @param architecture   free-form description (levels, depth, channels, ...)
 * @param training       free-form record of training (steps, imagesSeen, wallSeconds, machine, command, ...)
 * @param testBitsPerDim test-set bits per dimension for likelihood models; null otherwise
 * @param files          file name in the bundle -> sha256 hex, sorted by name
 * @param createdAt      when the bundle was written
 */
public record ModelCard(String id, String kind, String dataset, String split, ImageShape imageShape,
                        Integer latentSize, ValueRange valueRange, Map<String, Object> architecture,
                        Map<String, Object> training, Double testBitsPerDim, Map<String, String> files,
                        Instant createdAt) {

    /** The bundle's card file name. */
    public static final String FILE_NAME = "model.json";

    // Configured once here and never reconfigured: safe to share between threads.
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    public ModelCard {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        if (id.isBlank() || kind.isBlank()) {
            throw new IllegalArgumentException("model card: id and kind must be non-empty");
        }
        valueRange = valueRange == null ? ValueRange.UNIT : valueRange;
        architecture = architecture == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(architecture));
        training = training == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(training));
        files = files == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(files));
    }

    /** [low, high] of the generator's output. */
    public record ValueRange(double low, double high) {
        public static final ValueRange UNIT = new ValueRange(0, 1);

        public ValueRange {
            if (!(low < high)) {
                throw new IllegalArgumentException("model card: valueRange must have low < high, got [" + low + ", " + high + "]");
            }
        }
    }

    /** The same card with other file hashes. */
    public ModelCard withFiles(Map<String, String> newFiles) {
        return new ModelCard(id, kind, dataset, split, imageShape, latentSize, valueRange, architecture, training,
                testBitsPerDim, newFiles, createdAt);
    }

    /** sha256 of the canonical JSON of this card: the hash of a built-in model that has no files. */
    public String sha256() {
        return Sha256.hex(toJson().getBytes(StandardCharsets.UTF_8));
    }

    // ---------------------------------------------------------------- JSON

    /** Canonical JSON: fixed key order, maps sorted by key, absent values written as null. */
    public String toJson() {
        try {
            return MAPPER.writeValueAsString(toNode());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("model card " + id + ": architecture/training must hold plain JSON values", e);
        }
    }

    public ObjectNode toNode() {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("id", id);
        root.put("kind", kind);
        root.put("dataset", dataset);
        root.put("split", split);
        if (imageShape == null) {
            root.putNull("imageShape");
        } else {
            root.putArray("imageShape").add(imageShape.channels()).add(imageShape.height()).add(imageShape.width());
        }
        root.put("latentSize", latentSize);
        root.putArray("valueRange").add(valueRange.low()).add(valueRange.high());
        root.set("architecture", MAPPER.valueToTree(architecture));
        root.set("training", MAPPER.valueToTree(training));
        root.put("testBitsPerDim", testBitsPerDim);
        root.set("files", MAPPER.valueToTree(files));
        root.put("createdAt", createdAt == null ? null : createdAt.toString());
        return root;
    }

    /**
     * Parses a card.
     *
     * @throws IllegalArgumentException naming the field that is missing or malformed
     */
    public static ModelCard fromJson(String json) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("model card: not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("model card: must be a JSON object");
        }
        return new ModelCard(
                requiredText(root, "id"),
                requiredText(root, "kind"),
                optionalText(root, "dataset"),
                optionalText(root, "split"),
                shape(root.get("imageShape")),
                optionalInt(root, "latentSize"),
                valueRange(root.get("valueRange")),
                freeMap(root, "architecture"),
                freeMap(root, "training"),
                optionalNumber(root, "testBitsPerDim"),
                files(root.get("files")),
                instant(root.get("createdAt")));
    }

    private static String requiredText(JsonNode root, String field) {
        String text = optionalText(root, field);
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("model card: " + field + " is required");
        }
        return text;
    }

    private static String optionalText(JsonNode root, String field) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw new IllegalArgumentException("model card: " + field + " must be a string");
        }
        return node.asText();
    }

    private static Integer optionalInt(JsonNode root, String field) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt() || node.intValue() <= 0) {
            throw new IllegalArgumentException("model card: " + field + " must be a positive integer");
        }
        return node.intValue();
    }

    private static Double optionalNumber(JsonNode root, String field) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isNumber() || !Double.isFinite(node.doubleValue())) {
            throw new IllegalArgumentException("model card: " + field + " must be a finite number or null");
        }
        return node.doubleValue();
    }

    private static ImageShape shape(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isArray() || node.size() != 3 || !node.get(0).isIntegralNumber()
                || !node.get(1).isIntegralNumber() || !node.get(2).isIntegralNumber()) {
            throw new IllegalArgumentException("model card: imageShape must be [C, H, W] or null");
        }
        try {
            return new ImageShape(node.get(0).intValue(), node.get(1).intValue(), node.get(2).intValue());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("model card: imageShape: " + e.getMessage(), e);
        }
    }

    private static ValueRange valueRange(JsonNode node) {
        if (node == null || node.isNull()) {
            return ValueRange.UNIT;
        }
        if (!node.isArray() || node.size() != 2 || !node.get(0).isNumber() || !node.get(1).isNumber()) {
            throw new IllegalArgumentException("model card: valueRange must be [low, high]");
        }
        return new ValueRange(node.get(0).doubleValue(), node.get(1).doubleValue());
    }

    private static Map<String, Object> freeMap(JsonNode root, String field) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return Map.of();
        }
        if (!node.isObject()) {
            throw new IllegalArgumentException("model card: " + field + " must be an object");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> map = MAPPER.convertValue(node, LinkedHashMap.class);
        return map;
    }

    private static Map<String, String> files(JsonNode node) {
        if (node == null || node.isNull()) {
            return Map.of();
        }
        if (!node.isObject()) {
            throw new IllegalArgumentException("model card: files must be an object {file name: sha256}");
        }
        Map<String, String> files = new TreeMap<>();
        node.fields().forEachRemaining(entry -> {
            if (!entry.getValue().isTextual() || !entry.getValue().asText().matches("[0-9a-f]{64}")) {
                throw new IllegalArgumentException("model card: files." + entry.getKey() + " must be a sha256 hex string");
            }
            files.put(entry.getKey(), entry.getValue().asText());
        });
        return files;
    }

    private static Instant instant(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        try {
            return Instant.parse(node.asText());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("model card: createdAt must be an ISO-8601 instant, e.g. 2026-01-31T12:00:00Z", e);
        }
    }
}
