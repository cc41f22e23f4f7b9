package io.flowrecon.api.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowrecon.shared.job.ModelLookup;
import io.flowrecon.shared.model.ModelCard;
import jakarta.enterprise.context.ApplicationScoped;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads the model registry (the table, so that every API replica sees the same models). */
@ApplicationScoped
public class ModelCatalog {

    private static final String SELECT = "select id, kind, sha256, registered_at, status, reason, owner, builtin, card::text,"
            + " samples_png is not null, bundle_path"
            + " from models where status <> 'deleted'";

    private final DataSource dataSource;
    private final ObjectMapper mapper;

    public ModelCatalog(DataSource dataSource, ObjectMapper mapper) {
        this.dataSource = dataSource;
        this.mapper = mapper;
    }

    public List<ModelView> list() throws SQLException {
        return query(SELECT + " order by id", null);
    }

    public Optional<ModelView> find(String id) throws SQLException {
        return query(SELECT + " and id = ?", id).stream().findFirst();
    }

    /** A snapshot for validating one submission. */
    public ModelLookup lookup() throws SQLException {
        List<ModelLookup.ModelInfo> infos = new ArrayList<>();
        for (ModelView model : list()) {
            ModelCard card = ModelCard.fromJson(model.card().toString());
            infos.add(new ModelLookup.ModelInfo(model.id(), model.kind(), card.imageShape(), model.status()));
        }
        return ModelLookup.of(infos);
    }

    private List<ModelView> query(String sql, String id) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            if (id != null) {
                statement.setString(1, id);
            }
            List<ModelView> models = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    models.add(new ModelView(rows.getString(1), rows.getString(2), rows.getString(3),
                            rows.getObject(4, OffsetDateTime.class).toInstant(), rows.getString(5), rows.getString(6),
                            rows.getString(7), rows.getBoolean(8), json(rows.getString(9)),
                            rows.getBoolean(10) || ModelSamplesResource.folderSamples(rows.getString(11)) != null));
                }
            }
            return models;
        }
    }

    private JsonNode json(String text) {
        try {
            return mapper.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("models.card holds invalid JSON", e);
        }
    }
}
