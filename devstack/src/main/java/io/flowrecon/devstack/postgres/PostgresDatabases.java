package io.flowrecon.devstack.postgres;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;
import java.util.regex.Pattern;

/** Creates roles and databases through a superuser connection; shared by the embedded and container servers. */
public final class PostgresDatabases {

    /** Lower-case SQL identifiers only: they are spliced into DDL, which cannot take bind parameters. */
    private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    private static final Set<String> RESERVED = Set.of("postgres", "template0", "template1");

    private final String adminJdbcUrl;
    private final String adminUser;
    private final String adminPassword;

    /**
     * @param adminJdbcUrl a URL to a maintenance database (e.g. {@code postgres}) of the server
     * @param adminUser    a role that may create roles and databases
     */
    public PostgresDatabases(String adminJdbcUrl, String adminUser, String adminPassword) {
        this.adminJdbcUrl = adminJdbcUrl;
        this.adminUser = adminUser;
        this.adminPassword = adminPassword;
    }

    /** Creates a login role unless it exists (the password is only set on creation). */
    public void ensureRole(String role, String password) {
        requireName("role", role);
        execute("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '" + role + "') THEN "
                + "CREATE ROLE " + role + " LOGIN PASSWORD '" + password.replace("'", "''") + "'; END IF; END $$");
    }

    /** Creates the database unless it exists. */
    public void ensureDatabase(String name, String owner) {
        requireName("database", name);
        requireName("owner", owner);
        if (!exists(name)) {
            execute("CREATE DATABASE " + name + " OWNER " + owner);
        }
    }

    /** Drops the database if it exists (closing its connections) and creates it empty. */
    public void recreateDatabase(String name, String owner, Set<String> protectedNames) {
        requireName("database", name);
        requireName("owner", owner);
        if (RESERVED.contains(name) || protectedNames.contains(name)) {
            throw new IllegalArgumentException("database name '" + name + "' is reserved; pick another");
        }
        execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        execute("CREATE DATABASE " + name + " OWNER " + owner);
    }

    private boolean exists(String name) {
        try (Connection connection = DriverManager.getConnection(adminJdbcUrl, adminUser, adminPassword);
             var statement = connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            statement.setString(1, name);
            try (var rows = statement.executeQuery()) {
                return rows.next();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot query databases at " + adminJdbcUrl + ": " + e.getMessage(), e);
        }
    }

    private void execute(String sql) {
        try (Connection connection = DriverManager.getConnection(adminJdbcUrl, adminUser, adminPassword);
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL rejected: " + sql.replaceAll("PASSWORD '[^']*'", "PASSWORD ***")
                    + ": " + e.getMessage(), e);
        }
    }

    private static void requireName(String what, String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(what + " name '" + name + "' must match " + NAME.pattern()
                    + " (lower-case letters, digits, underscores; at most 63 characters)");
        }
    }
}
