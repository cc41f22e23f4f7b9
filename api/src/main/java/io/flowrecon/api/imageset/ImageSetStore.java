package io.flowrecon.api.imageset;

import io.flowrecon.api.imageset.ImageSetChecker.CheckedImage;
import io.flowrecon.api.imageset.ImageSetChecker.CheckedSet;
import io.flowrecon.api.imageset.ImageSetViews.ImageSetImage;
import io.flowrecon.api.imageset.ImageSetViews.ImageSetSummary;
import jakarta.enterprise.context.ApplicationScoped;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Image sets in PostgreSQL. A set and all its images are written in one transaction with batched inserts,
 * so a set is either whole or absent. A caller sees its own sets and the configured ones (owner null).
 */
@ApplicationScoped
public class ImageSetStore {

    /** Rows per JDBC batch: large enough to amortise round trips, small enough to bound the driver's buffers. */
    private static final int BATCH = 200;

    private static final String SUMMARY_COLUMNS =
            "id, name, owner, source, image_count, channels, height, width, created_at";
    private static final String VISIBLE = "(owner = ? or owner is null)";

    private final DataSource dataSource;

    public ImageSetStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Stores a checked set; a name the owner already uses is a 409. */
    public ImageSetSummary create(String owner, String name, String source, CheckedSet set) throws SQLException {
        UUID id = UUID.randomUUID();
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                if (exists(connection, owner, name)) {
                    throw new NameTakenException(name);
                }
                insert(connection, id, owner, name, source, set);
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        }
        return find(owner, id).orElseThrow();
    }

    /**
     * Puts a configured set in place: nothing happens when a set of this name already came from the same
     * source; otherwise the old one (if any) is replaced, in one transaction.
     *
     * @return true when the set was written
     */
    boolean replaceConfigured(String name, String source, CheckedSet set) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                try (PreparedStatement same = connection.prepareStatement(
                        "select 1 from image_sets where owner is null and name = ? and source = ?")) {
                    same.setString(1, name);
                    same.setString(2, source);
                    try (ResultSet rows = same.executeQuery()) {
                        if (rows.next()) {
                            connection.rollback();
                            return false;
                        }
                    }
                }
                try (PreparedStatement old = connection.prepareStatement(
                        "delete from image_sets where owner is null and name = ?")) {
                    old.setString(1, name);
                    old.executeUpdate();
                }
                insert(connection, UUID.randomUUID(), null, name, source, set);
                connection.commit();
                return true;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        }
    }

    public List<ImageSetSummary> list(String owner) throws SQLException {
        String sql = "select " + SUMMARY_COLUMNS + " from image_sets where " + VISIBLE
                + " order by created_at desc, id";
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, owner);
            List<ImageSetSummary> sets = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    sets.add(summary(rows));
                }
            }
            return sets;
        }
    }

    public Optional<ImageSetSummary> find(String owner, UUID id) throws SQLException {
        String sql = "select " + SUMMARY_COLUMNS + " from image_sets where id = ? and " + VISIBLE;
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setObject(1, id);
            statement.setString(2, owner);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? Optional.of(summary(rows)) : Optional.empty();
            }
        }
    }

    /** Index, name and hash of the images {@code offset .. offset + limit - 1} (the caller checked visibility). */
    List<ImageSetImage> images(UUID id, int offset, int limit, String pngBase, String thumbnailBase)
            throws SQLException {
        String sql = "select index, name, sha256 from image_set_images where set_id = ? and index >= ?"
                + " order by index limit ?";
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setObject(1, id);
            statement.setInt(2, offset);
            statement.setInt(3, limit);
            List<ImageSetImage> images = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    int index = rows.getInt(1);
                    images.add(new ImageSetImage(index, rows.getString(2), rows.getString(3),
                            pngBase + index, thumbnailBase + index));
                }
            }
            return images;
        }
    }

    /** The PNG of one image of a set the owner can see, or empty. */
    public Optional<byte[]> png(String owner, UUID id, int index) throws SQLException {
        String sql = "select i.png from image_set_images i join image_sets s on s.id = i.set_id"
                + " where i.set_id = ? and i.index = ? and (s.owner = ? or s.owner is null)";
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setObject(1, id);
            statement.setInt(2, index);
            statement.setString(3, owner);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? Optional.of(rows.getBytes(1)) : Optional.empty();
            }
        }
    }

    /** Every PNG of a set, by index (the caller checked visibility). */
    public List<byte[]> pngs(UUID id) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(
                     "select png from image_set_images where set_id = ? order by index")) {
            statement.setObject(1, id);
            List<byte[]> pngs = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    pngs.add(rows.getBytes(1));
                }
            }
            return pngs;
        }
    }

    private static boolean exists(Connection connection, String owner, String name) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "select 1 from image_sets where owner = ? and name = ?")) {
            statement.setString(1, owner);
            statement.setString(2, name);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next();
            }
        }
    }

    private static void insert(Connection connection, UUID id, String owner, String name, String source,
                               CheckedSet set) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("""
                insert into image_sets (id, owner, name, source, channels, height, width, image_count)
                values (?, ?, ?, ?, ?, ?, ?, ?)
                """)) {
            statement.setObject(1, id);
            statement.setString(2, owner);
            statement.setString(3, name);
            statement.setString(4, source);
            statement.setInt(5, set.shape().channels());
            statement.setInt(6, set.shape().height());
            statement.setInt(7, set.shape().width());
            statement.setInt(8, set.images().size());
            statement.executeUpdate();
        }
        try (PreparedStatement statement = connection.prepareStatement(
                "insert into image_set_images (set_id, index, name, png, sha256) values (?, ?, ?, ?, ?)")) {
            List<CheckedImage> images = set.images();
            for (int i = 0; i < images.size(); i++) {
                statement.setObject(1, id);
                statement.setInt(2, i);
                statement.setString(3, images.get(i).name());
                statement.setBytes(4, images.get(i).png());
                statement.setString(5, images.get(i).sha256());
                statement.addBatch();
                if ((i + 1) % BATCH == 0) {
                    statement.executeBatch();
                }
            }
            statement.executeBatch();
        }
    }

    private static ImageSetSummary summary(ResultSet rows) throws SQLException {
        return new ImageSetSummary(rows.getObject(1, UUID.class), rows.getString(2), rows.getString(3),
                rows.getString(4), rows.getInt(5), List.of(rows.getInt(6), rows.getInt(7), rows.getInt(8)),
                rows.getTimestamp(9).toInstant());
    }

    /** The owner already has a set of this name. */
    static final class NameTakenException extends RuntimeException {
        NameTakenException(String name) {
            super("an image set named '" + name + "' exists already; choose another name");
        }
    }
}
