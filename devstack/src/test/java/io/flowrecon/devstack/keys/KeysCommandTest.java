package io.flowrecon.devstack.keys;

import io.flowrecon.devstack.postgres.Durability;
import io.flowrecon.devstack.postgres.EmbeddedPostgresServer;
import io.flowrecon.shared.auth.ApiKeyStore;
import io.flowrecon.shared.auth.ApiKeys;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code ./flowrecon keys} and the local stack's key against a real PostgreSQL with the api_keys migration. */
class KeysCommandTest {

    private static EmbeddedPostgresServer postgres;
    private static Map<String, String> env;
    private final ApiKeyStore store = new ApiKeyStore();

    @BeforeAll
    static void startPostgres() throws Exception {
        postgres = EmbeddedPostgresServer.startEphemeral(Durability.THROWAWAY);
        env = Map.of("FLOWRECON_DB_URL", postgres.jdbcUrl(), "FLOWRECON_DB_USER", postgres.user(),
                "FLOWRECON_DB_PASSWORD", postgres.password());
        try (InputStream sql = KeysCommandTest.class.getResourceAsStream("/db/migration/V4__api_keys.sql");
             Connection c = connect(); Statement s = c.createStatement()) {
            s.execute(new String(sql.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    @AfterAll
    static void stopPostgres() {
        postgres.close();
    }

    private static Connection connect() throws SQLException {
        return DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(), postgres.password());
    }

    private record Run(int status, String out, String err) {
    }

    private static Run keys(Map<String, String> environment, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = KeysCommand.run(List.of(args), environment, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void createPrintsOnlyTheKeyAndTheDatabaseKnowsIt() throws Exception {
        Run created = keys(env, "create", "--owner", "alice-create", "--admin", "--label", "laptop");
        assertEquals(0, created.status(), created.err());
        String key = created.out().strip();
        assertTrue(ApiKeys.looksLikeKey(key), created.out());
        assertTrue(created.err().contains("shown only now"), created.err());
        try (Connection c = connect()) {
            var info = store.findActive(c, key).orElseThrow();
            assertEquals("alice-create", info.owner());
            assertTrue(info.admin());
            assertEquals("laptop", info.label());
        }
    }

    @Test
    void listShowsOwnersAndFirstCharactersNeverTheKey() {
        String key = keys(env, "create", "--owner", "bob-list").out().strip();
        Run listed = keys(env, "list");
        assertEquals(0, listed.status(), listed.err());
        assertTrue(listed.out().contains("bob-list"), listed.out());
        assertTrue(listed.out().contains(ApiKeys.shownPart(key) + "..."), listed.out());
        assertFalse(listed.out().contains(key), "the list shows the whole key");
    }

    @Test
    void revokeByIdAndByOwner() throws Exception {
        String first = keys(env, "create", "--owner", "carol-revoke").out().strip();
        String second = keys(env, "create", "--owner", "carol-revoke").out().strip();
        UUID firstId;
        try (Connection c = connect()) {
            firstId = store.findActive(c, first).orElseThrow().id();
        }
        Run byId = keys(env, "revoke", firstId.toString());
        assertEquals(0, byId.status(), byId.err());
        assertEquals(1, keys(env, "revoke", firstId.toString()).status(), "revoking a revoked key changes nothing");
        try (Connection c = connect()) {
            assertTrue(store.findActive(c, first).isEmpty());
            assertTrue(store.findActive(c, second).isPresent());
        }
        assertEquals(0, keys(env, "revoke", "--owner", "carol-revoke").status());
        try (Connection c = connect()) {
            assertTrue(store.findActive(c, second).isEmpty());
        }
        assertTrue(keys(env, "list", "--all").out().contains("carol-revoke"));
    }

    @Test
    void mistakesAreUsageErrorsNamingTheRule() {
        Run blankOwner = keys(env, "create", "--owner", " x");
        assertEquals(2, blankOwner.status());
        assertTrue(blankOwner.err().contains("owner: must not start or end with blanks"), blankOwner.err());
        Run noOwner = keys(env, "create");
        assertEquals(2, noOwner.status());
        assertTrue(noOwner.err().contains("--owner"), noOwner.err());
        Run badId = keys(env, "revoke", "nope");
        assertEquals(2, badId.status());
        assertTrue(badId.err().contains("not a key id"), badId.err());
        assertEquals(2, keys(env, "revoke").status(), "revoke needs ids or --owner");
        assertEquals(2, keys(env).status(), "a subcommand is required");
    }

    @Test
    void anUnreachableDatabaseSaysWhatToDo() {
        Run down = keys(Map.of("FLOWRECON_DB_URL", "jdbc:postgresql://localhost:1/none"), "list");
        assertEquals(2, down.status());
        assertTrue(down.err().contains("./flowrecon up") && down.err().contains("FLOWRECON_DB_URL"), down.err());
    }

    @Test
    void theLocalStackKeepsItsKeyAndReplacesOneTheDatabaseForgot(@TempDir Path home) throws Exception {
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        ByteArrayOutputStream firstOut = new ByteArrayOutputStream();
        String key = LocalKey.ensure(postgres.jdbcUrl(), postgres.user(), postgres.password(), home,
                new PrintStream(firstOut, true, StandardCharsets.UTF_8));
        Path file = home.resolve(LocalKey.FILE_NAME);
        assertEquals(key, Files.readString(file).strip());
        assertTrue(firstOut.toString(StandardCharsets.UTF_8).contains(key), "the first start prints the key");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));

        ByteArrayOutputStream againOut = new ByteArrayOutputStream();
        assertEquals(key, LocalKey.ensure(postgres.jdbcUrl(), postgres.user(), postgres.password(), home,
                new PrintStream(againOut, true, StandardCharsets.UTF_8)));
        String again = againOut.toString(StandardCharsets.UTF_8);
        assertTrue(again.contains(file.toString()) && !again.contains(key), again);

        try (Connection c = connect()) {
            store.revoke(c, store.findActive(c, key).orElseThrow().id());
        }
        String replaced = LocalKey.ensure(postgres.jdbcUrl(), postgres.user(), postgres.password(), home, quiet);
        assertNotEquals(key, replaced);
        assertEquals(replaced, readKey(file));
    }

    private static String readKey(Path file) throws IOException {
        return Files.readString(file).strip();
    }
}
