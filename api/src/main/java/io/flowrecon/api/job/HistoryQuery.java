package io.flowrecon.api.job;

import io.flowrecon.api.error.ApiException;
import io.flowrecon.shared.job.JobStatus;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
import java.util.UUID;

/**
 * A history request: filters, page size and the keyset cursor (newest first, ordered by
 * (created_at, id) descending, matching the jobs_owner_history index).
 *
 * @param after the last row of the previous page, or null for the first page
 */
public record HistoryQuery(JobStatus status, String model, UUID experiment, Instant since, int limit, Cursor after) {

    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 200;

    /** Parses the raw query parameters (all optional), rejecting each bad one with what is allowed. */
    public static HistoryQuery parse(String status, String model, String experiment, String since, String limit,
                                     String cursor) {
        return new HistoryQuery(parseStatus(status), blankToNull(model), parseExperiment(experiment),
                parseSince(since), parseLimit(limit), cursor == null || cursor.isBlank() ? null : Cursor.decode(cursor));
    }

    private static JobStatus parseStatus(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return JobStatus.valueOf(text.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw invalid("status must be one of " + Arrays.toString(JobStatus.values()) + ", got '" + text + "'");
        }
    }

    private static UUID parseExperiment(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return UUID.fromString(text.strip());
        } catch (IllegalArgumentException e) {
            throw invalid("experiment must be an experiment id (a UUID), got '" + text + "'");
        }
    }

    private static Instant parseSince(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(text.strip());
        } catch (DateTimeParseException e) {
            throw invalid("since must be an ISO-8601 instant such as 2026-11-29T12:00:00Z, got '" + text + "'");
        }
    }

    private static int parseLimit(String text) {
        if (text == null || text.isBlank()) {
            return DEFAULT_LIMIT;
        }
        try {
            int limit = Integer.parseInt(text.strip());
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // falls through to the message below
        }
        throw invalid("limit must be an integer between 1 and " + MAX_LIMIT + ", got '" + text + "'");
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.strip();
    }

    private static ApiException invalid(String message) {
        return ApiException.badRequest("invalid-query", message);
    }

    /** Position after a row; opaque to clients (base64url of "createdAt|id"). */
    public record Cursor(Instant createdAt, UUID id) {

        public String encode() {
            return Base64.getUrlEncoder().withoutPadding()
                    .encodeToString((createdAt + "|" + id).getBytes(StandardCharsets.UTF_8));
        }

        public static Cursor decode(String text) {
            try {
                String plain = new String(Base64.getUrlDecoder().decode(text.strip()), StandardCharsets.UTF_8);
                int bar = plain.indexOf('|');
                if (bar < 0) {
                    throw new IllegalArgumentException(plain);
                }
                return new Cursor(Instant.parse(plain.substring(0, bar)), UUID.fromString(plain.substring(bar + 1)));
            } catch (IllegalArgumentException | DateTimeParseException e) {
                throw invalid("cursor is not one this API issued; pass nextCursor from the previous page unchanged");
            }
        }
    }
}
