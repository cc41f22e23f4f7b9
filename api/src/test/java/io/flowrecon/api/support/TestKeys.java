package io.flowrecon.api.support;

import io.flowrecon.shared.auth.ApiKeyStore;
import io.quarkus.arc.Arc;
import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * API keys for tests, in one line: {@code TestKeys.as(owner).get("/api/v1/jobs")} calls as {@code owner}
 * (a key is created in the test database on first use and reused); {@code TestKeys.create(owner, true)} makes a
 * fresh (admin) key. Works inside {@code @QuarkusTest} classes, which share the application's database.
 */
public final class TestKeys {

    private static final ApiKeyStore STORE = new ApiKeyStore();
    private static final Map<String, String> KEYS = new ConcurrentHashMap<>();

    private TestKeys() {
    }

    /** A request that authenticates as {@code owner} (a plain, non-admin key). */
    public static RequestSpecification as(String owner) {
        return withKey(keyFor(owner));
    }

    /** A request that sends {@code key} as its bearer token. */
    public static RequestSpecification withKey(String key) {
        return RestAssured.given().header("Authorization", "Bearer " + key);
    }

    /** The plain key this class keeps for {@code owner}, created on first use. */
    public static String keyFor(String owner) {
        return KEYS.computeIfAbsent(owner, o -> create(o, false));
    }

    /** A new key for {@code owner}, stored hashed like any other; the key itself. */
    public static String create(String owner, boolean admin) {
        DataSource dataSource = Arc.container().instance(DataSource.class).get();
        try (Connection connection = dataSource.getConnection()) {
            return STORE.create(connection, owner, admin, "test").key();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create a test key for " + owner, e);
        }
    }

    /** Revokes every key of {@code owner}, the kept one too. */
    public static void revokeAll(String owner) {
        DataSource dataSource = Arc.container().instance(DataSource.class).get();
        try (Connection connection = dataSource.getConnection()) {
            STORE.revokeOwner(connection, owner);
            KEYS.remove(owner);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot revoke the keys of " + owner, e);
        }
    }
}
