package io.flowrecon.devstack.keys;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;

/**
 * The PostgreSQL that holds {@code api_keys}: the one the API uses, named by the same FLOWRECON_DB_* variables,
 * by default the local stack's ({@code ./flowrecon up}: localhost:15432).
 */
record KeyDatabase(String url, String user, String password) {

    static final String LOCAL_STACK_URL = "jdbc:postgresql://localhost:15432/flowrecon";
    /** PostgreSQL's SQLSTATE for a missing table. */
    private static final String UNDEFINED_TABLE = "42P01";

    static KeyDatabase fromEnvironment(Map<String, String> env) {
        return new KeyDatabase(env.getOrDefault("FLOWRECON_DB_URL", LOCAL_STACK_URL),
                env.getOrDefault("FLOWRECON_DB_USER", "flowrecon"), env.getOrDefault("FLOWRECON_DB_PASSWORD", "flowrecon"));
    }

    Connection connect() {
        try {
            return DriverManager.getConnection(url, user, password);
        } catch (SQLException e) {
            throw new IllegalArgumentException("cannot connect to " + url + " (" + e.getMessage() + "); is the stack"
                    + " up (./flowrecon up)? For another database set FLOWRECON_DB_URL, FLOWRECON_DB_USER and"
                    + " FLOWRECON_DB_PASSWORD as for the API");
        }
    }

    /** A failed statement as a message the user can act on. */
    RuntimeException explain(SQLException e) {
        if (UNDEFINED_TABLE.equals(e.getSQLState())) {
            return new IllegalArgumentException(url + " has no api_keys table yet: start the API once (./flowrecon up),"
                    + " it applies the schema migrations");
        }
        return new IllegalStateException("the database at " + url + " refused: " + e.getMessage(), e);
    }
}
