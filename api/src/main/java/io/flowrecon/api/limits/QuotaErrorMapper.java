package io.flowrecon.api.limits;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** A quota is a 429 Too Many Requests with Retry-After (RFC 6585 section 4, RFC 9110 section 10.2.3). */
public class QuotaErrorMapper {

    @ServerExceptionMapper
    public Response quotaExceeded(QuotaExceededException e) {
        return Response.status(429).type(MediaType.APPLICATION_JSON_TYPE)
                .header(HttpHeaders.RETRY_AFTER, Integer.toString(e.retryAfterSeconds()))
                .entity(e.error()).build();
    }
}
