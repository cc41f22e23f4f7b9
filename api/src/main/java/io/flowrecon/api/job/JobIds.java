package io.flowrecon.api.job;

import io.flowrecon.api.error.ApiException;

import java.util.UUID;

/** Job ids in paths: a malformed one is the caller's mistake (400), not a missing job. */
final class JobIds {

    private JobIds() {
    }

    static UUID parse(String text) {
        try {
            UUID id = UUID.fromString(text);
            if (!id.toString().equalsIgnoreCase(text)) {
                // UUID.fromString accepts short groups such as "1-2-3-4-5"; ids are always canonical.
                throw new IllegalArgumentException(text);
            }
            return id;
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("invalid-id", "job id must be a UUID such as 3f2c0d9e-1b7a-4c8e-9f00-0123456789ab, got '"
                    + text + "'");
        }
    }

    static ApiException notFound(UUID id) {
        return ApiException.notFound("job " + id + " not found");
    }
}
