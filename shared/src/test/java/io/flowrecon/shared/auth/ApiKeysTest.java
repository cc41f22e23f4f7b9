package io.flowrecon.shared.auth;

import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ApiKeysTest {

    @Test
    void generatedKeysHaveThePrefixAndAreDistinct() {
        SecureRandom random = new SecureRandom();
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            String key = ApiKeys.generate(random);
            assertTrue(ApiKeys.looksLikeKey(key), key);
            assertTrue(key.matches("fr_[A-Za-z0-9_-]{43}"), key);
            keys.add(key);
        }
        assertEquals(100, keys.size());
    }

    @Test
    void tokensOfAnotherFormAreNotKeys() {
        assertFalse(ApiKeys.looksLikeKey(null));
        assertFalse(ApiKeys.looksLikeKey("fr_short"));
        assertFalse(ApiKeys.looksLikeKey("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl"));
    }

    @Test
    void theHashIsSha256InLowerCaseHex() {
        // FIPS 180-2, appendix B.1: SHA-256("abc")
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", ApiKeys.sha256Hex("abc"));
    }

    @Test
    void ownerNamesFollowTheRules() {
        assertEquals("alice", ApiKeys.checkOwner("alice"));
        assertThrows(IllegalArgumentException.class, () -> ApiKeys.checkOwner(""));
        assertThrows(IllegalArgumentException.class, () -> ApiKeys.checkOwner(" alice"));
        assertThrows(IllegalArgumentException.class, () -> ApiKeys.checkOwner("al\nice"));
        IllegalArgumentException tooLong = assertThrows(IllegalArgumentException.class,
                () -> ApiKeys.checkOwner("a".repeat(201)));
        assertTrue(tooLong.getMessage().contains("200"), tooLong.getMessage());
    }
}
