package io.flowrecon.api.model;

import io.flowrecon.api.error.ApiException;
import io.flowrecon.api.model.validate.GraphFacts;
import io.flowrecon.api.model.validate.ModelRejectedException;
import io.flowrecon.shared.model.ModelBundle;
import io.flowrecon.shared.model.ModelCard;
import io.flowrecon.shared.model.Sha256;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns an upload into a bundle (the same card, files and hashes a trainer writes): the graph's static
 * checks run now and give the card its image shape and latent size; a model that passes them is
 * {@code validating} until {@link ModelValidation} has run it, one that fails is stored {@code rejected}
 * with the reason, so that GET shows why.
 */
@ApplicationScoped
public class ModelImporter {

    private final ModelStore store;
    private final ModelValidation validation;
    private final ModelCatalog catalog;

    public ModelImporter(ModelStore store, ModelValidation validation, ModelCatalog catalog) {
        this.store = store;
        this.validation = validation;
        this.catalog = catalog;
    }

    public ModelView importModel(ModelImport request, String owner) throws SQLException, IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put(ModelBundle.GENERATOR, request.generator());
        if (request.encoder() != null) {
            files.put(ModelBundle.ENCODER, request.encoder());
        }
        Map<String, String> hashes = new TreeMap<>();
        files.forEach((name, bytes) -> hashes.put(name, Sha256.hex(bytes)));

        GraphFacts facts = null;
        String reason = null;
        try {
            facts = validation.validator().inspect(request.generator());
        } catch (ModelRejectedException e) {
            reason = e.getMessage();
        }
        Map<String, Object> architecture = new TreeMap<>();
        architecture.put("source", "imported");
        if (facts != null) {
            architecture.put("opset", facts.opset());
            architecture.put("latentInput", facts.latentInput());
            architecture.put("imageOutput", facts.imageOutput());
            architecture.put("nodes", facts.model().getGraph().getNodeCount());
        }
        ModelCard card = new ModelCard(request.id(), request.kind(), request.dataset(), null,
                facts == null ? null : facts.shape(), facts == null ? null : facts.latent(), request.valueRange(),
                architecture, Map.of(), null, hashes, Instant.now());
        ModelStatus status = facts == null ? ModelStatus.REJECTED : ModelStatus.VALIDATING;
        if (!store.insert(card, files, status, reason, owner)) {
            throw ApiException.conflict("model '" + request.id() + "' already exists; delete it first or choose another id");
        }
        if (status == ModelStatus.VALIDATING) {
            validation.submit(request.id());
        }
        return catalog.find(request.id()).orElseThrow();
    }
}
