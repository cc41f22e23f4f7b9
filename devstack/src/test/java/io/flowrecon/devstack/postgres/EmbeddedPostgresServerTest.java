package io.flowrecon.devstack.postgres;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EmbeddedPostgresServerTest {

    /** The local stack keeps its job history in a data directory across restarts. */
    @Test
    void persistentDataDirectoryKeepsRowsAcrossRestarts(@TempDir Path dataDirectory) throws Exception {
        try (EmbeddedPostgresServer first = EmbeddedPostgresServer.start(0, dataDirectory, Durability.DURABLE)) {
            try (Connection c = DriverManager.getConnection(first.jdbcUrl(), first.user(), first.password());
                 Statement s = c.createStatement()) {
                s.execute("CREATE TABLE history (id int PRIMARY KEY)");
                s.execute("INSERT INTO history VALUES (42)");
            }
        }
        try (EmbeddedPostgresServer second = EmbeddedPostgresServer.start(0, dataDirectory, Durability.DURABLE);
             Connection c = DriverManager.getConnection(second.jdbcUrl(), second.user(), second.password());
             Statement s = c.createStatement();
             ResultSet rows = s.executeQuery("SELECT id FROM history")) {
            assertTrue(rows.next(), "the row written before the restart is gone");
            assertEquals(42, rows.getInt(1));
        }
    }

    /** The settings of a durability reach the server, overriding zonky's own synchronous_commit = off. */
    @Test
    void eachDurabilityIsTheServersSetting() throws Exception {
        for (Durability durability : Durability.values()) {
            try (EmbeddedPostgresServer server = EmbeddedPostgresServer.startEphemeral(durability)) {
                for (var setting : durability.serverSettings().entrySet()) {
                    assertEquals(setting.getValue(), show(server, setting.getKey()), durability + ": " + setting.getKey());
                }
            }
        }
    }

    static String show(EmbeddedPostgresServer server, String setting) throws Exception {
        try (Connection c = DriverManager.getConnection(server.jdbcUrl(), server.user(), server.password());
             Statement s = c.createStatement();
             ResultSet rows = s.executeQuery("SHOW " + setting)) {
            assertTrue(rows.next());
            return rows.getString(1);
        }
    }
}
