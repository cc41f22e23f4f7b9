package io.flowrecon.api.auth;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/** An API key from an {@code Authorization: Bearer} header, to be checked against {@code api_keys}. */
public final class ApiKeyRequest extends BaseAuthenticationRequest {

    private final String key;

    public ApiKeyRequest(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }
}
