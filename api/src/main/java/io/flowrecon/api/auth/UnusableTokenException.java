package io.flowrecon.api.auth;

/**
 * A token that verified but cannot name a caller (its owner claim is missing or breaks the owner rules): a 401
 * that names the claim ({@link AuthErrorMappers}).
 */
final class UnusableTokenException extends RuntimeException {

    UnusableTokenException(String message) {
        super(message);
    }
}
