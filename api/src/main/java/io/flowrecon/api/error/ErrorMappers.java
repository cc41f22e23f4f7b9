package io.flowrecon.api.error;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.flowrecon.shared.job.InvalidSpecException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.UUID;

/** Every error leaves as JSON with a message, never as a stack trace. */
public class ErrorMappers {

    private static final Logger LOG = Logger.getLogger(ErrorMappers.class);

    @ServerExceptionMapper
    public Response apiError(ApiException e) {
        return json(e.status(), new ApiError(e.code(), e.getMessage()));
    }

    @ServerExceptionMapper
    public Response invalidSpec(InvalidSpecException e) {
        return json(400, new ApiError("invalid-spec",
                "the job spec has " + e.violations().size() + " problem(s); see violations", e.violations()));
    }

    @ServerExceptionMapper
    public Response malformedJson(JsonProcessingException e) {
        return json(400, new ApiError("malformed-json", "the request body is not valid JSON: " + e.getOriginalMessage()));
    }

    /** Framework errors: unknown path (404), wrong method (405), wrong content type (415), ... */
    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            return internal(e);
        }
        String reason = e.getResponse().getStatusInfo().getReasonPhrase();
        String code = reason.toLowerCase(java.util.Locale.ROOT).replace(' ', '-');
        String message = e.getMessage() == null || e.getMessage().isBlank() ? reason : e.getMessage();
        return json(status, new ApiError(code, message));
    }

    @ServerExceptionMapper
    public Response unexpected(Exception e) {
        return internal(e);
    }

    private static Response internal(Exception e) {
        String incident = UUID.randomUUID().toString();
        LOG.errorf(e, "internal error, incident %s", incident);
        return json(500, new ApiError("internal", "internal error; the server log has the details under incident " + incident));
    }

    private static Response json(int status, ApiError body) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(body).build();
    }
}
