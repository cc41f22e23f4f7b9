package io.flowrecon.api.imageset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flowrecon.api.imageset.ImageSetViews.ImageSetSummary;
import io.flowrecon.shared.job.InvalidSpecException;
import io.flowrecon.shared.job.SpecViolation;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.SQLException;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * A job's truth given as an image-set entry, {@code "truth": {"imageSet": ID, "index": i}}, instead of an upload:
 * the entry's PNG takes its place before the spec is read, and the job records which image it was.
 */
@ApplicationScoped
public class ImageReferences {

    /** The image a job's truth came from. */
    public record ImageRef(UUID imageSet, int index) {
    }

    private final ImageSetStore store;

    public ImageReferences(ImageSetStore store) {
        this.store = store;
    }

    /**
     * Replaces a reference in {@code body.truth} by the PNG it names.
     *
     * @return the reference, or empty when the truth is not one (an upload, or absent)
     * @throws InvalidSpecException naming {@code truth.imageSet} or {@code truth.index}
     */
    public Optional<ImageRef> resolve(String owner, JsonNode body) throws SQLException {
        if (body == null || !body.isObject() || !body.path("truth").isObject() || !body.get("truth").has("imageSet")) {
            return Optional.empty();
        }
        ObjectNode truth = (ObjectNode) body.get("truth");
        for (var names = truth.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!name.equals("imageSet") && !name.equals("index")) {
                throw invalid("truth." + name, "unknown field; a reference has imageSet and index");
            }
        }
        UUID id;
        try {
            id = UUID.fromString(truth.path("imageSet").asText());
        } catch (IllegalArgumentException e) {
            throw invalid("truth.imageSet", "must be an image set id (a UUID)");
        }
        ImageSetSummary set = store.find(owner, id)
                .orElseThrow(() -> invalid("truth.imageSet", "no image set " + id + " (GET /api/v1/image-sets lists yours)"));
        JsonNode index = truth.get("index");
        if (index == null || !index.isIntegralNumber() || index.asInt() < 0 || index.asInt() >= set.count()) {
            throw invalid("truth.index", "required: an index in 0.." + (set.count() - 1) + " of image set " + id);
        }
        byte[] png = store.png(owner, id, index.asInt())
                .orElseThrow(() -> invalid("truth.index", "image " + index.asInt() + " of set " + id + " not found"));
        truth.removeAll();
        truth.put("png", Base64.getEncoder().encodeToString(png));
        return Optional.of(new ImageRef(id, index.asInt()));
    }

    private static InvalidSpecException invalid(String field, String rule) {
        return new InvalidSpecException(List.of(new SpecViolation(field, rule)));
    }
}
