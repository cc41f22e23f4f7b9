package io.flowrecon.shared.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The form of an API key: {@value #PREFIX} followed by 32 random bytes in URL-safe base64 (43 characters). The
 * prefix tells an API key from a JWT in the same {@code Authorization: Bearer} header. Only the SHA-256 of a
 * key is stored: with 256 random bits a fast hash is as safe as a slow one (a slow hash protects passwords
 * people chose, which are guessable).
 */
public final class ApiKeys {

    public static final String PREFIX = "fr_";
    /** Characters of a key kept in clear (prefix included), so that a person can tell keys apart in a list. */
    public static final int SHOWN_CHARACTERS = 9;
    private static final int RANDOM_BYTES = 32;
    private static final int ENCODED_LENGTH = PREFIX.length() + 43;
    public static final int MAX_OWNER_LENGTH = 200;

    private ApiKeys() {
    }

    /** A new key from {@code random} (a {@link SecureRandom} outside tests). */
    public static String generate(SecureRandom random) {
        byte[] bytes = new byte[RANDOM_BYTES];
        random.nextBytes(bytes);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Whether a bearer token has the form of an API key (it may still be unknown or revoked). */
    public static boolean looksLikeKey(String token) {
        return token != null && token.length() == ENCODED_LENGTH && token.startsWith(PREFIX);
    }

    /** Lower-case hex of SHA-256 over the key's UTF-8 bytes: what {@code api_keys.key_sha256} holds. */
    public static String sha256Hex(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /** The part of a key shown in lists. */
    public static String shownPart(String key) {
        return key.substring(0, Math.min(SHOWN_CHARACTERS, key.length()));
    }

    /**
     * Checks an owner name: 1 to {@value #MAX_OWNER_LENGTH} characters, no surrounding blanks, no control
     * characters (owners appear in logs and CSV files).
     *
     * @throws IllegalArgumentException naming the rule that failed
     */
    public static String checkOwner(String owner) {
        if (owner == null || owner.isEmpty()) {
            throw new IllegalArgumentException("owner: must not be empty");
        }
        if (owner.length() > MAX_OWNER_LENGTH) {
            throw new IllegalArgumentException("owner: must be at most " + MAX_OWNER_LENGTH + " characters, got "
                    + owner.length());
        }
        if (!owner.equals(owner.strip())) {
            throw new IllegalArgumentException("owner: must not start or end with blanks");
        }
        if (owner.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("owner: must not contain control characters");
        }
        return owner;
    }
}
