package io.flowrecon.api.job;

import io.flowrecon.api.error.ApiException;

/** Who is calling: the X-Flowrecon-Owner header; every job row and every read is scoped to it. */
public final class Owners {

    public static final String HEADER = "X-Flowrecon-Owner";
    public static final String ANONYMOUS = "anonymous";
    static final int MAX_LENGTH = 200;

    private Owners() {
    }

    public static String fromHeader(String header) {
        if (header == null || header.isBlank()) {
            return ANONYMOUS;
        }
        String owner = header.strip();
        if (owner.length() > MAX_LENGTH) {
            throw ApiException.badRequest("invalid-owner", HEADER + " must be at most " + MAX_LENGTH + " characters");
        }
        return owner;
    }
}
