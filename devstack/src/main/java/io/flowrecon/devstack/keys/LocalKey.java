package io.flowrecon.devstack.keys;

import io.flowrecon.shared.auth.ApiKeyStore;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * The local stack's own key: created at its first start (owner {@value #OWNER}, admin, so that it can also list
 * rows written before keys existed, e.g. {@code ?owner=anonymous}), printed once, and kept in
 * {@code .flowrecon/api-key} (readable by the user only). Later starts say where it is; a kept key the
 * database no longer knows (the data folder was wiped) is replaced.
 */
public final class LocalKey {

    public static final String OWNER = "local";
    public static final String FILE_NAME = "api-key";

    private LocalKey() {
    }

    /** The stack's key, after making sure the database at {@code jdbcUrl} accepts it; prints what the user needs. */
    public static String ensure(String jdbcUrl, String user, String password, Path home, PrintStream out) {
        Path file = home.resolve(FILE_NAME);
        ApiKeyStore store = new ApiKeyStore();
        try (Connection connection = DriverManager.getConnection(jdbcUrl, user, password)) {
            String kept = read(file);
            if (kept != null && store.findActive(connection, kept).isPresent()) {
                out.println("API key (owner '" + OWNER + "', admin) in " + file + ":  curl -H \"Authorization: Bearer"
                        + " $(cat " + file + ")\" ...");
                return kept;
            }
            String key = store.create(connection, OWNER, true, "local stack").key();
            write(file, key);
            out.println("created an API key for owner '" + OWNER + "' (admin), kept in " + file + ":");
            out.println("  " + key);
            out.println("  send it as 'Authorization: Bearer <key>'; more keys: ./flowrecon keys create --owner NAME");
            return key;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot issue the local stack's API key: " + e.getMessage(), e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.isRegularFile(file) ? Files.readString(file).strip() : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static void write(Path file, String key) {
        try {
            Files.createDirectories(file.getParent());
            Files.deleteIfExists(file);
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                Files.createFile(file);
            }
            Files.writeString(file, key + System.lineSeparator());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the API key in " + file, e);
        }
    }
}
