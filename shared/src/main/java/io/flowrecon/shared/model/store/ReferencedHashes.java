package io.flowrecon.shared.model.store;

import javax.sql.DataSource;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.Set;

/** The blob hashes that must stay: those any model card still lists among its files. */
@FunctionalInterface
public interface ReferencedHashes {

    /** The rule both stores apply: every model row but deleted ones keeps its card's files ({@code f.value}). */
    String LISTED_FILES = """
            from models m, jsonb_each_text(coalesce(m.card -> 'files', '{}'::jsonb)) f where m.status <> 'deleted'""";

    Set<String> list() throws IOException;

    /** The hashes {@link #LISTED_FILES} selects, read from {@code dataSource}. */
    static ReferencedHashes ofModelCards(DataSource dataSource) {
        return () -> {
            try (Connection connection = dataSource.getConnection();
                 PreparedStatement select = connection.prepareStatement("select distinct f.value " + LISTED_FILES);
                 ResultSet rows = select.executeQuery()) {
                Set<String> hashes = new HashSet<>();
                while (rows.next()) {
                    hashes.add(rows.getString(1));
                }
                return hashes;
            } catch (SQLException e) {
                throw new IOException("cannot list the bundle files model cards use: " + e.getMessage(), e);
            }
        };
    }
}
