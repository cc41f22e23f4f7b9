package io.flowrecon.api.auth;

import io.flowrecon.shared.auth.ApiKeyStore;
import io.flowrecon.shared.auth.ApiKeyStore.KeyInfo;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;

/**
 * Checks an API key against {@code api_keys} (by its SHA-256, never the key): a known, unrevoked key becomes
 * an identity named after its owner, with the admin role if the key has it. Every request looks the key up,
 * so a revoked key stops working at once.
 */
@ApplicationScoped
public class ApiKeyIdentityProvider implements IdentityProvider<ApiKeyRequest> {

    static final String KEY_ID_ATTRIBUTE = "flowrecon.api-key-id";

    private final DataSource dataSource;
    private final AuthConfig config;
    private final ApiKeyStore store = new ApiKeyStore();

    public ApiKeyIdentityProvider(DataSource dataSource, AuthConfig config) {
        this.dataSource = dataSource;
        this.config = config;
    }

    @Override
    public Class<ApiKeyRequest> getRequestType() {
        return ApiKeyRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(ApiKeyRequest request, AuthenticationRequestContext context) {
        return context.runBlocking(() -> {
            KeyInfo key = find(request.key()).orElseThrow(
                    () -> new AuthenticationFailedException("unknown or revoked API key"));
            QuarkusSecurityIdentity.Builder identity = QuarkusSecurityIdentity.builder()
                    .setPrincipal(new QuarkusPrincipal(key.owner()))
                    .addAttribute(KEY_ID_ATTRIBUTE, key.id().toString());
            if (key.admin()) {
                identity.addRole(config.adminRole());
            }
            return identity.build();
        });
    }

    private Optional<KeyInfo> find(String key) {
        try (Connection connection = dataSource.getConnection()) {
            return store.findActive(connection, key);
        } catch (SQLException e) {
            // Not a 401: the key may be fine and the database down; the caller sees a 500 with an incident id.
            throw new IllegalStateException("cannot look up the API key: " + e.getMessage(), e);
        }
    }
}
