package io.flowrecon.api.limits;

import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * A body declared larger than {@code quarkus.http.limits.max-body-size} is a 413 that says both sizes, as JSON,
 * before any of it is read. Quarkus enforces the same limit itself (route order -2, and while reading a chunked
 * body), but with an empty answer; this route runs just before it.
 */
@ApplicationScoped
public class BodySizeLimit {

    static final int ORDER = -3;

    private final long maxBytes;

    public BodySizeLimit(@ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize maxBodySize) {
        this.maxBytes = maxBodySize.asLongValue();
    }

    void install(@Observes Router router) {
        router.route().order(ORDER).handler(context -> {
            long declared = contentLength(context.request().getHeader(HttpHeaders.CONTENT_LENGTH));
            if (declared <= maxBytes) {
                context.next();
                return;
            }
            String body = new JsonObject().put("error", "body-too-large")
                    .put("message", "the request body is " + declared + " bytes; at most " + maxBytes
                            + " are accepted (quarkus.http.limits.max-body-size): send fewer or smaller images")
                    .put("limit", maxBytes).put("size", declared).encode();
            context.response().setStatusCode(413).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                    .putHeader(HttpHeaders.CONNECTION, "close").end(body);
        });
    }

    /** The declared length, or -1 when absent or not a number (chunked bodies are counted by Quarkus). */
    private static long contentLength(String header) {
        if (header == null) {
            return -1;
        }
        try {
            return Long.parseLong(header.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
