package io.flowrecon.shared.job;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The stored form of a validated spec ({@code jobs.spec}, jsonb; the worker reads it): the wire form with every
 * default filled in, no binaries, plus {@code imageShape} ([C, H, W] of the image to recover, because a
 * measurement vector alone does not say which image it came from). Written and read by Jackson from the typed
 * records (their {@code kind} properties select the variants), in one fixed key order, so that the text is
 * canonical and its hash stable.
 */
public final class StoredSpecs {

    /**
     * Our own mapper, never a framework's: the stored form and the spec hash must not change with another
     * component's Jackson settings (indentation, number handling).
     */
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true)
            .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true);

    /** The document: key order is part of the canonical form. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"model", "experiment", "problem", "solver", "imageShape"})
    record Document(String model, String experiment, Problem problem, SolverSettings solver, ImageShape imageShape) {
    }

    private StoredSpecs() {
    }

    /** The stored form without an image shape. */
    public static String write(JobSpec spec) {
        return write(spec, null);
    }

    /** The stored form: canonical (fixed key order, every default filled in), no binaries. */
    public static String write(JobSpec spec, ImageShape imageShape) {
        try {
            return MAPPER.writeValueAsString(document(spec, imageShape));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a record of plain values always serialises", e);
        }
    }

    /** The stored form as a tree, e.g. to embed in an API response. */
    public static ObjectNode node(JobSpec spec, ImageShape imageShape) {
        return MAPPER.valueToTree(document(spec, imageShape));
    }

    /**
     * Reads a spec written by {@link #write}, also after PostgreSQL's jsonb has reordered its keys
     * ({@code write(read(text), imageShape(text))} gives the canonical text back, e.g. to recompute the spec
     * hash). The stored form was validated on submission, so a failure here means the row was corrupted or
     * written by something else.
     *
     * @throws IllegalArgumentException when the text is not a stored spec
     */
    public static JobSpec read(String json) {
        Document document = parse(json);
        if (document.model() == null || document.problem() == null || document.solver() == null) {
            throw new IllegalArgumentException("not a stored job spec: model, problem and solver are required");
        }
        return new JobSpec(document.model(), document.problem(), document.solver(), document.experiment());
    }

    /** The {@code imageShape} of a stored spec, or null when it has none. */
    public static ImageShape imageShape(String json) {
        return parse(json).imageShape();
    }

    private static Document document(JobSpec spec, ImageShape imageShape) {
        return new Document(spec.model(), spec.experiment(), spec.problem(), spec.solver(), imageShape);
    }

    private static Document parse(String json) {
        try {
            JsonNode root = MAPPER.readTree(json);
            if (root == null || !root.isObject()) {
                throw new IllegalArgumentException("not a stored job spec: not a JSON object");
            }
            return MAPPER.treeToValue(root, Document.class);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            String reason = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
            throw new IllegalArgumentException(reason.startsWith("not a stored job spec")
                    ? reason : "not a stored job spec: " + reason, e);
        }
    }
}
