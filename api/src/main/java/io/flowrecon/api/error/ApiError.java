package io.flowrecon.api.error;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.flowrecon.shared.job.SpecViolation;

import java.util.List;

/**
 * The body of every error response.
 *
 * @param error      a stable machine-readable code, e.g. {@code invalid-spec}, {@code not-found}
 * @param message    what went wrong, for a person
 * @param violations field-level problems of a rejected spec; absent otherwise
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApiError(String error, String message, List<SpecViolation> violations) {

    public ApiError(String error, String message) {
        this(error, message, null);
    }
}
