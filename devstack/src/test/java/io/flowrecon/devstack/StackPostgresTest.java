package io.flowrecon.devstack;

import io.flowrecon.devstack.postgres.EmbeddedPostgresServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The PostgreSQL of {@code ./flowrecon up}, where users keep their job history. */
class StackPostgresTest {

    @Test
    void commitsAreDurable(@TempDir Path dataDirectory) throws Exception {
        try (EmbeddedPostgresServer server = DevStack.startPostgres(0, dataDirectory);
             Connection c = DriverManager.getConnection(server.jdbcUrl(), server.user(), server.password());
             Statement s = c.createStatement()) {
            assertEquals("on", show(s, "synchronous_commit"), "a commit returns only once its WAL is on disk");
            assertEquals("on", show(s, "fsync"));
            assertEquals("on", show(s, "full_page_writes"), "a torn page can be repaired after a crash");
        }
    }

    private static String show(Statement s, String setting) throws Exception {
        try (ResultSet rows = s.executeQuery("SHOW " + setting)) {
            assertTrue(rows.next());
            return rows.getString(1);
        }
    }
}
