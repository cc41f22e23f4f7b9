package io.flowrecon.api.auth;

import io.flowrecon.api.error.ApiException;
import io.flowrecon.shared.auth.ApiKeys;
import io.quarkus.security.UnauthorizedException;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.JsonString;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * The caller of the current request, from its API key or JWT; the only way resources learn an owner. An
 * anonymous request never gets this far on {@code /api/*} (the HTTP permission answers 401 first); it is
 * refused here too, so that a resource outside that path cannot act for nobody.
 */
@ApplicationScoped
public class Callers {

    private final SecurityIdentity identity;
    private final AuthConfig config;

    public Callers(SecurityIdentity identity, AuthConfig config) {
        this.identity = identity;
        this.config = config;
    }

    public Caller current() {
        if (identity.isAnonymous()) {
            throw new UnauthorizedException();
        }
        return new Caller(ownerOf(identity), identity.hasRole(config.adminRole()));
    }

    /** The owner of the current request: {@code current().owner()}. */
    public String owner() {
        return current().owner();
    }

    /**
     * Whose rows a list shows: the caller's, or, for an admin, those of the owner named by the {@code owner}
     * query parameter. Another owner's single rows stay 404 for everyone, admins too: lists are where an
     * operator looks, and ids do not leak through them to other owners.
     */
    public String listedOwner(String requested) {
        Caller caller = current();
        if (requested == null || requested.isEmpty() || requested.equals(caller.owner())) {
            return caller.owner();
        }
        if (!caller.admin()) {
            throw new ApiException(403, "forbidden", "owner: only an admin key may list another owner's rows"
                    + " (create one with ./flowrecon keys create --owner NAME --admin)");
        }
        try {
            return ApiKeys.checkOwner(requested);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("invalid-query", e.getMessage());
        }
    }

    private String ownerOf(SecurityIdentity identity) {
        if (!(identity.getPrincipal() instanceof JsonWebToken token)) {
            return identity.getPrincipal().getName();
        }
        String claim = config.jwt().ownerClaim();
        Object value = token.getClaim(claim);
        String owner = value instanceof JsonString json ? json.getString() : value instanceof String s ? s : null;
        if (owner == null || owner.isBlank()) {
            throw new UnusableTokenException("the token has no string claim '" + claim + "' naming its owner");
        }
        try {
            return ApiKeys.checkOwner(owner);
        } catch (IllegalArgumentException e) {
            throw new UnusableTokenException("the token's claim '" + claim + "': " + e.getMessage());
        }
    }
}
