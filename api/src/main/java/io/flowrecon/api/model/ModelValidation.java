package io.flowrecon.api.model;

import io.flowrecon.api.model.validate.GraphFacts;
import io.flowrecon.api.model.validate.ModelRejectedException;
import io.flowrecon.api.model.validate.ModelValidator;
import io.flowrecon.shared.model.ModelBundle;
import io.flowrecon.shared.model.ModelCard;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.sql.SQLException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs the numeric checks of imported models off the request thread, one model at a time (each runs ONNX
 * Runtime on one core), and records ready or rejected. Models left validating by a stopped API are checked
 * again at start.
 */
@ApplicationScoped
public class ModelValidation {

    private static final Logger LOG = Logger.getLogger(ModelValidation.class);

    private final ModelStore store;
    private final ModelCatalog catalog;
    private final ModelValidator validator = ModelValidator.standard();
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "flowrecon-model-validation");
        thread.setDaemon(true);
        return thread;
    });

    public ModelValidation(ModelStore store, ModelCatalog catalog) {
        this.store = store;
        this.catalog = catalog;
    }

    public ModelValidator validator() {
        return validator;
    }

    void onStart(@Observes StartupEvent event) throws SQLException {
        for (String id : store.validating()) {
            LOG.infof("model %s was left validating; checking it again", id);
            submit(id);
        }
    }

    /** Queues the checks of a model now validating; the future ends when its status is written. */
    public Future<?> submit(String id) {
        return executor.submit(() -> validate(id));
    }

    private void validate(String id) {
        try {
            ModelView model = catalog.find(id).orElse(null);
            if (model == null || !model.status().equals(ModelStatus.VALIDATING.wireName())) {
                return;
            }
            ModelCard card = ModelCard.fromJson(model.card().toString());
            String sha = card.files().get(ModelBundle.GENERATOR);
            byte[] generator = store.blobs().get(sha).orElseThrow(() -> new IllegalStateException(
                    "model " + id + ": generator.onnx is not in the bundle store"));
            try {
                GraphFacts facts = validator.inspect(generator);
                validator.runNumerics(facts, card.valueRange());
                store.finish(id, ModelStatus.READY, null, validator.sampleGrid(facts, card));
                LOG.infof("model %s is ready", id);
            } catch (ModelRejectedException e) {
                store.finish(id, ModelStatus.REJECTED, e.getMessage());
                LOG.infof("model %s rejected: %s", id, e.getMessage());
            }
        } catch (Exception | LinkageError e) {
            // ONNX Runtime missing on this host, the database gone: the model cannot be judged, say so.
            LOG.errorf(e, "validating model %s failed", id);
            try {
                store.finish(id, ModelStatus.REJECTED, "validation could not run: " + e);
            } catch (SQLException again) {
                LOG.errorf(again, "cannot record the failed validation of model %s", id);
            }
        }
    }

    @PreDestroy
    void stop() {
        executor.shutdownNow();
    }
}
