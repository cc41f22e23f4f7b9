package io.flowrecon.shared.auth;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The {@code api_keys} table (db migration V4): create, look up, list and revoke keys. Used by the API to
 * authenticate and by the command line ({@code ./flowrecon keys}) and the local stack to issue keys.
 */
public final class ApiKeyStore {

    private static final String COLUMNS = "id, owner, admin, key_prefix, label, created_at, revoked_at";

    private final SecureRandom random;

    public ApiKeyStore(SecureRandom random) {
        this.random = random;
    }

    public ApiKeyStore() {
        this(new SecureRandom());
    }

    /** A stored key, without the key. */
    public record KeyInfo(UUID id, String owner, boolean admin, String shown, String label, Instant createdAt,
                          Instant revokedAt) {
        public boolean revoked() {
            return revokedAt != null;
        }
    }

    /** A key just created: {@code key} is the only copy; it is not stored. */
    public record NewKey(String key, KeyInfo info) {
    }

    /** Creates a key for {@code owner} (checked by {@link ApiKeys#checkOwner}); {@code label} may be null. */
    public NewKey create(Connection connection, String owner, boolean admin, String label) throws SQLException {
        ApiKeys.checkOwner(owner);
        String key = ApiKeys.generate(random);
        UUID id = UUID.randomUUID();
        try (PreparedStatement insert = connection.prepareStatement("""
                insert into api_keys (id, owner, admin, key_sha256, key_prefix, label) values (?, ?, ?, ?, ?, ?)
                returning created_at
                """)) {
            insert.setObject(1, id);
            insert.setString(2, owner);
            insert.setBoolean(3, admin);
            insert.setString(4, ApiKeys.sha256Hex(key));
            insert.setString(5, ApiKeys.shownPart(key));
            insert.setString(6, label);
            try (ResultSet r = insert.executeQuery()) {
                r.next();
                return new NewKey(key, new KeyInfo(id, owner, admin, ApiKeys.shownPart(key), label,
                        r.getTimestamp(1).toInstant(), null));
            }
        }
    }

    /** The key's record if the key is known and not revoked. */
    public Optional<KeyInfo> findActive(Connection connection, String key) throws SQLException {
        if (!ApiKeys.looksLikeKey(key)) {
            return Optional.empty();
        }
        try (PreparedStatement select = connection.prepareStatement(
                "select " + COLUMNS + " from api_keys where key_sha256 = ? and revoked_at is null")) {
            select.setString(1, ApiKeys.sha256Hex(key));
            try (ResultSet r = select.executeQuery()) {
                return r.next() ? Optional.of(read(r)) : Optional.empty();
            }
        }
    }

    /** Every key (revoked ones too when asked), oldest first. */
    public List<KeyInfo> list(Connection connection, boolean includeRevoked) throws SQLException {
        String where = includeRevoked ? "" : " where revoked_at is null";
        try (PreparedStatement select = connection.prepareStatement(
                "select " + COLUMNS + " from api_keys" + where + " order by created_at, id");
             ResultSet r = select.executeQuery()) {
            List<KeyInfo> keys = new ArrayList<>();
            while (r.next()) {
                keys.add(read(r));
            }
            return keys;
        }
    }

    /** Revokes one key by its id; whether it was active. */
    public boolean revoke(Connection connection, UUID id) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(
                "update api_keys set revoked_at = now() where id = ? and revoked_at is null")) {
            update.setObject(1, id);
            return update.executeUpdate() == 1;
        }
    }

    /** Revokes every active key of {@code owner}; how many. */
    public int revokeOwner(Connection connection, String owner) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(
                "update api_keys set revoked_at = now() where owner = ? and revoked_at is null")) {
            update.setString(1, owner);
            return update.executeUpdate();
        }
    }

    private static KeyInfo read(ResultSet r) throws SQLException {
        Timestamp revoked = r.getTimestamp(7);
        return new KeyInfo(r.getObject(1, UUID.class), r.getString(2), r.getBoolean(3), r.getString(4),
                r.getString(5), r.getTimestamp(6).toInstant(), revoked == null ? null : revoked.toInstant());
    }
}
