package io.flowrecon.api.auth;

/**
 * Who is calling, as the API key or token said: the owner every row it writes carries and every read is
 * scoped to, and whether it may list other owners' rows.
 */
public record Caller(String owner, boolean admin) {
}
