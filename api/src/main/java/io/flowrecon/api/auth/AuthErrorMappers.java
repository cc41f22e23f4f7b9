package io.flowrecon.api.auth;

import io.flowrecon.api.error.ApiError;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.UnauthorizedException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * A 401 says how to get in: which header, and the command that issues a key. Authentication is lazy
 * ({@code quarkus.http.auth.proactive=false}), so its failures arrive here as exceptions instead of the
 * mechanisms' bare challenges.
 */
public class AuthErrorMappers {

    private static final Logger LOG = Logger.getLogger(AuthErrorMappers.class);

    static final String HOW_TO_GET_A_KEY = "send 'Authorization: Bearer <key>'; create a key with"
            + " './flowrecon keys create --owner NAME' (the local stack prints one at its first start and keeps it"
            + " in .flowrecon/api-key)";

    @ServerExceptionMapper
    public Response missing(UnauthorizedException e) {
        return unauthorized("unauthenticated", "this call needs an API key or token: " + HOW_TO_GET_A_KEY);
    }

    @ServerExceptionMapper
    public Response failed(AuthenticationFailedException e) {
        LOG.debugf("authentication failed: %s", e.getMessage());
        return unauthorized("invalid-credentials", "the bearer token was not accepted (an unknown or revoked key,"
                + " or a token that is expired, badly signed or lacks its owner claim): " + HOW_TO_GET_A_KEY);
    }

    @ServerExceptionMapper
    public Response unusable(UnusableTokenException e) {
        return unauthorized("invalid-credentials", e.getMessage() + "; " + HOW_TO_GET_A_KEY);
    }

    private static Response unauthorized(String code, String message) {
        return Response.status(401).type(MediaType.APPLICATION_JSON_TYPE)
                .header(HttpHeaders.WWW_AUTHENTICATE, ApiKeyMechanism.CHALLENGE)
                .entity(new ApiError(code, message)).build();
    }
}
