package io.flowrecon.shared.job;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;

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
     * component's Jackson settings (indentation, number handling). Reading is strict (no coercion of
     * {@code "3"} to 3 or of 5 to {@code "5"}, nothing after the document): a stored spec is only ever written
     * by {@link #write}, so anything else is a corrupted row, which the worker must see as such.
     */
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .withCoercionConfig(LogicalType.Textual, text -> text
                    .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
            .build();

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
        List<String> missing = missing(document);
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("not a stored job spec: missing " + String.join(", ", missing));
        }
        return new JobSpec(document.model(), document.problem(), document.solver(), document.experiment());
    }

    /** The {@code imageShape} of a stored spec, or null when it has none. */
    public static ImageShape imageShape(String json) {
        return parse(json).imageShape();
    }

    /** Jackson leaves an absent object or enum null; every part but experiment and imageShape is required. */
    private static List<String> missing(Document document) {
        List<String> missing = new ArrayList<>();
        if (document.model() == null || document.model().isBlank()) {
            missing.add("model");
        }
        Problem problem = document.problem();
        if (problem == null) {
            missing.add("problem");
        } else {
            if (problem.noise() == null) {
                missing.add("problem.noise");
            }
            if (problem instanceof Problem.CompressiveSensing cs && cs.operator() == null) {
                missing.add("problem.operator");
            }
            if (problem instanceof Problem.Inpainting in && in.mask() == null) {
                missing.add("problem.mask");
            }
        }
        SolverSettings solver = document.solver();
        if (solver == null) {
            missing.add("solver");
        } else {
            if (solver.optimizer() == null) {
                missing.add("solver.optimizer");
            }
            if (solver.init() == null) {
                missing.add("solver.init");
            }
        }
        return missing;
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
