package io.flowrecon.api.model;

import io.flowrecon.shared.model.ModelBundle;
import io.flowrecon.shared.model.ModelCard;
import io.flowrecon.shared.model.store.BlobStore;
import io.flowrecon.shared.model.store.BlobStores;
import jakarta.enterprise.context.ApplicationScoped;

import javax.sql.DataSource;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Writes imported models: their files into the blob store, their rows, their status. */
@ApplicationScoped
public class ModelStore {

    // An id comes back after a delete (the old row stays 'deleted' for its jobs); a live one is a conflict.
    private static final String INSERT = """
            insert into models (id, kind, card, sha256, bundle_path, status, reason, owner, builtin)
            values (?, ?, ?::jsonb, ?, null, ?, ?, ?, false)
            on conflict (id) do update set kind = excluded.kind, card = excluded.card, sha256 = excluded.sha256,
                bundle_path = null, status = excluded.status, reason = excluded.reason, owner = excluded.owner,
                builtin = false, samples_png = null, registered_at = now()
            where models.status = 'deleted'
            """;

    private final DataSource dataSource;
    private final BlobStore blobs;

    public ModelStore(DataSource dataSource) {
        this.dataSource = dataSource;
        this.blobs = BlobStores.fromEnvironment(System.getenv(), dataSource);
    }

    public BlobStore blobs() {
        return blobs;
    }

    /**
     * Stores the files, then the row.
     *
     * @return false when a live model already has this id (nothing is written but possibly the blobs,
     *         which the next delete's sweep removes if no card lists them)
     */
    public boolean insert(ModelCard card, Map<String, byte[]> files, ModelStatus status, String reason, String owner)
            throws SQLException, IOException {
        for (Map.Entry<String, String> file : card.files().entrySet()) {
            blobs.put(file.getValue(), files.get(file.getKey()));
        }
        try (Connection connection = dataSource.getConnection();
             PreparedStatement insert = connection.prepareStatement(INSERT)) {
            insert.setString(1, card.id());
            insert.setString(2, card.kind());
            insert.setString(3, card.toJson());
            insert.setString(4, ModelBundle.bundleHash(card));
            insert.setString(5, status.wireName());
            insert.setString(6, reason);
            insert.setString(7, owner);
            return insert.executeUpdate() == 1;
        }
    }

    /** Ends a validation; only a model still validating moves (a delete meanwhile wins). */
    public void finish(String id, ModelStatus status, String reason) throws SQLException {
        finish(id, status, reason, null);
    }

    /** Records the verdict of a model still validating, with the grid of samples its checks drew (or null). */
    public void finish(String id, ModelStatus status, String reason, byte[] samplesPng) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement update = connection.prepareStatement(
                     "update models set status = ?, reason = ?, samples_png = ? where id = ? and status = 'validating'")) {
            update.setString(1, status.wireName());
            update.setString(2, reason);
            update.setBytes(3, samplesPng);
            update.setString(4, id);
            update.executeUpdate();
        }
    }

    /** Ids still validating (an API stopped mid-check): validated again at start. */
    public List<String> validating() throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement("select id from models where status = 'validating' order by id");
             ResultSet rows = select.executeQuery()) {
            List<String> ids = new ArrayList<>();
            while (rows.next()) {
                ids.add(rows.getString(1));
            }
            return ids;
        }
    }

    /** The outcome of {@link #delete}. */
    public sealed interface Deletion {
        record Deleted() implements Deletion {
        }

        record InUse(long jobs) implements Deletion {
        }

        record Missing() implements Deletion {
        }
    }

    /**
     * Marks the model deleted unless queued or running jobs use it, then drops the blobs no card lists. The row
     * lock (select ... for update) holds back a job insert, whose foreign-key check locks the same row, until
     * the count and the update are committed.
     */
    public Deletion delete(String id) throws SQLException, IOException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                try (PreparedStatement lock = connection.prepareStatement(
                        "select 1 from models where id = ? and status <> 'deleted' for update")) {
                    lock.setString(1, id);
                    try (ResultSet rows = lock.executeQuery()) {
                        if (!rows.next()) {
                            connection.rollback();
                            return new Deletion.Missing();
                        }
                    }
                }
                long inUse;
                try (PreparedStatement count = connection.prepareStatement(
                        "select count(*) from jobs where model_id = ? and status in ('QUEUED', 'RUNNING')")) {
                    count.setString(1, id);
                    try (ResultSet rows = count.executeQuery()) {
                        rows.next();
                        inUse = rows.getLong(1);
                    }
                }
                if (inUse > 0) {
                    connection.rollback();
                    return new Deletion.InUse(inUse);
                }
                try (PreparedStatement update = connection.prepareStatement(
                        "update models set status = 'deleted', reason = null where id = ?")) {
                    update.setString(1, id);
                    update.executeUpdate();
                }
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        }
        blobs.deleteUnreferenced();
        return new Deletion.Deleted();
    }
}
