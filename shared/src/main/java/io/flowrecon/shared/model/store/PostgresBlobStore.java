package io.flowrecon.shared.model.store;

import javax.sql.DataSource;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * Bundle files in the {@code model_blobs} table (bytea). A generator of a few tens of MB is well within
 * PostgreSQL's 1 GB bytea limit; a deployment whose priors outgrow that moves to an object store.
 */
public final class PostgresBlobStore implements BlobStore {

    private static final String INSERT = """
            insert into model_blobs (sha256, content, size_bytes) values (?, ?, ?) on conflict (sha256) do nothing
            """;
    // A blob stays while any model row (deleted ones excepted) lists its hash among its card's files.
    private static final String DELETE_UNREFERENCED = "delete from model_blobs b where not exists (select 1 "
            + ReferencedHashes.LISTED_FILES + " and f.value = b.sha256)";

    private final DataSource dataSource;

    public PostgresBlobStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public void put(String sha256, byte[] content) throws IOException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement insert = connection.prepareStatement(INSERT)) {
            insert.setString(1, sha256);
            insert.setBytes(2, content);
            insert.setLong(3, content.length);
            insert.executeUpdate();
        } catch (SQLException e) {
            throw new IOException("cannot store bundle file " + sha256 + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<byte[]> get(String sha256) throws IOException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement("select content from model_blobs where sha256 = ?")) {
            select.setString(1, sha256);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? Optional.of(rows.getBytes(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IOException("cannot read bundle file " + sha256 + ": " + e.getMessage(), e);
        }
    }

    @Override
    public boolean contains(String sha256) throws IOException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement("select 1 from model_blobs where sha256 = ?")) {
            select.setString(1, sha256);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next();
            }
        } catch (SQLException e) {
            throw new IOException("cannot look up bundle file " + sha256 + ": " + e.getMessage(), e);
        }
    }

    @Override
    public int deleteUnreferenced() throws IOException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement delete = connection.prepareStatement(DELETE_UNREFERENCED)) {
            return delete.executeUpdate();
        } catch (SQLException e) {
            throw new IOException("cannot delete unreferenced bundle files: " + e.getMessage(), e);
        }
    }
}
