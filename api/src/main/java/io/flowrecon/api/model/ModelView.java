package io.flowrecon.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;

/**
 * A registered prior as the API shows it.
 *
 * @param sha256  the bundle hash (of the card, for built-in models): results name it as modelSha256
 * @param status  validating, ready or rejected ({@link ModelStatus}); only ready models serve jobs
 * @param reason  why the model was rejected; absent otherwise
 * @param owner   who imported it; absent for built-in models, which everyone shares
 * @param builtin built into the service or registered from its models folder: cannot be deleted
 * @param card    the model card (model.json)
 * @param hasSamples whether {@code GET /api/v1/models/{id}/samples.png} has a grid of generator samples
 */
public record ModelView(String id, String kind, String sha256, Instant registeredAt,
                        String status, @JsonInclude(JsonInclude.Include.NON_NULL) String reason,
                        @JsonInclude(JsonInclude.Include.NON_NULL) String owner, boolean builtin, JsonNode card,
                        boolean hasSamples) {
}
