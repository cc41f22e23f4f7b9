package io.flowrecon.api.model;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;

/**
 * A registered prior as the API shows it.
 *
 * @param sha256 the bundle hash (of the card, for built-in models): results name it as modelSha256
 * @param card   the model card (model.json)
 */
public record ModelView(String id, String kind, String sha256, Instant registeredAt, JsonNode card) {
}
