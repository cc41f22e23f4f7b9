package io.flowrecon.api.model;

import io.flowrecon.api.config.ApiConfig;
import io.flowrecon.shared.model.BuiltinModels;
import io.flowrecon.shared.model.ModelBundle;
import io.flowrecon.shared.model.ModelBundleException;
import io.flowrecon.shared.model.ModelCard;
import io.flowrecon.shared.model.store.BlobStore;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import javax.sql.DataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Registers the priors at start-up: the built-in models and every bundle folder under the models
 * directory, upserted into {@code models} as ready and shared (Flyway has migrated by then). A bundle that fails its
 * checks is logged and skipped, so that one bad folder does not take the API down.
 */
@ApplicationScoped
public class ModelRegistrar {

    private static final Logger LOG = Logger.getLogger(ModelRegistrar.class);

    private static final String UPSERT = """
            insert into models (id, kind, card, sha256, bundle_path, status, reason, owner, builtin)
            values (?, ?, ?::jsonb, ?, ?, 'ready', null, null, true)
            on conflict (id) do update set kind = excluded.kind, card = excluded.card, sha256 = excluded.sha256,
                bundle_path = excluded.bundle_path, status = 'ready', reason = null, owner = null, builtin = true,
                registered_at = now()
            """;

    private final DataSource dataSource;
    private final ApiConfig config;
    private final ModelStore store;

    public ModelRegistrar(DataSource dataSource, ApiConfig config, ModelStore store) {
        this.dataSource = dataSource;
        this.config = config;
        this.store = store;
    }

    void onStart(@Observes StartupEvent event) throws SQLException {
        int bundles = registerAll();
        LOG.infof("model registry: %d built-in model(s), %d bundle(s) from %s", BuiltinModels.all().size(), bundles,
                Path.of(config.models().dir()).toAbsolutePath());
    }

    /**
     * Upserts every model it finds and stores the bundles' files centrally, so that workers on other hosts
     * fetch them; returns the number of bundles registered.
     */
    public int registerAll() throws SQLException {
        List<ModelBundle> bundles = readBundles(Path.of(config.models().dir()));
        BlobStore blobs = store.blobs();
        for (ModelBundle bundle : bundles) {
            for (Map.Entry<String, String> file : bundle.card().files().entrySet()) {
                try {
                    if (!blobs.contains(file.getValue())) {
                        blobs.put(file.getValue(), Files.readAllBytes(bundle.file(file.getKey())));
                    }
                } catch (IOException e) {
                    throw new SQLException("cannot store " + file.getKey() + " of model bundle " + bundle.dir() + ": " + e.getMessage(), e);
                }
            }
        }
        try (Connection connection = dataSource.getConnection();
             PreparedStatement upsert = connection.prepareStatement(UPSERT)) {
            for (ModelCard card : BuiltinModels.all()) {
                bind(upsert, card, card.sha256(), null);
            }
            for (ModelBundle bundle : bundles) {
                bind(upsert, bundle.card(), bundle.bundleHash(), bundle.dir().toString());
            }
            upsert.executeBatch();
        }
        return bundles.size();
    }

    private static void bind(PreparedStatement upsert, ModelCard card, String sha256, String bundlePath) throws SQLException {
        upsert.setString(1, card.id());
        upsert.setString(2, card.kind());
        upsert.setString(3, card.toJson());
        upsert.setString(4, sha256);
        upsert.setString(5, bundlePath);
        upsert.addBatch();
    }

    static List<ModelBundle> readBundles(Path modelsDir) {
        if (!Files.isDirectory(modelsDir)) {
            return List.of();
        }
        try (Stream<Path> children = Files.list(modelsDir)) {
            return children.filter(Files::isDirectory).filter(ModelBundle::isBundle).sorted()
                    .flatMap(dir -> {
                        try {
                            return Stream.of(ModelBundle.read(dir));
                        } catch (ModelBundleException e) {
                            LOG.warnf("skipping model bundle: %s", e.getMessage());
                            return Stream.empty();
                        }
                    }).toList();
        } catch (IOException e) {
            LOG.warnf("cannot list models folder %s: %s", modelsDir, e);
            return List.of();
        }
    }
}
