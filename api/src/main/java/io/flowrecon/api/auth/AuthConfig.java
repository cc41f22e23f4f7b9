package io.flowrecon.api.auth;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Who may call: API keys always; JWTs when {@code mp.jwt.verify.publickey.location} names a key (README). */
@ConfigMapping(prefix = "flowrecon.auth")
public interface AuthConfig {

    /** The role that may list every owner's rows: given to admin API keys, read from a JWT's groups claim. */
    @WithDefault("admin")
    String adminRole();

    Jwt jwt();

    interface Jwt {
        /** The JWT claim that names the owner (FLOWRECON_AUTH_JWT_OWNER_CLAIM), e.g. sub, preferred_username, email. */
        @WithDefault("sub")
        String ownerClaim();
    }
}
