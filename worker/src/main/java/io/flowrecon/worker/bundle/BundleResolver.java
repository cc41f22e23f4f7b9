package io.flowrecon.worker.bundle;

import io.flowrecon.shared.model.ModelBundle;
import io.flowrecon.shared.model.ModelBundleException;
import io.flowrecon.shared.model.ModelCard;
import io.flowrecon.worker.store.ModelRecord;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds a registered model's bundle on this host: a folder of the worker's own models directory holding the
 * same bundle (hash equal to the registered one), else the registered folder when it exists here (one host),
 * else the central store through the {@link BundleCache}. Nothing is read at start-up, so a model
 * registered while the worker runs is served on its first job.
 */
public final class BundleResolver {

    private final Path modelsDir;
    private final BundleCache cache;

    /** @param modelsDir this host's models folder, or null */
    public BundleResolver(Path modelsDir, BundleCache cache) {
        this.modelsDir = modelsDir;
        this.cache = cache;
    }

    /** @throws IllegalArgumentException naming the model when no copy of its bundle can be had */
    public Path dirOf(ModelRecord model) {
        if (modelsDir != null) {
            Path local = modelsDir.resolve(model.id());
            if (sameBundle(local, model.sha256())) {
                return local;
            }
        }
        if (model.bundlePath() != null && sameBundle(Path.of(model.bundlePath()), model.sha256())) {
            return Path.of(model.bundlePath());
        }
        ModelCard card;
        try {
            card = ModelCard.fromJson(model.cardJson());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("model " + model.id() + ": registered card is unreadable: " + e.getMessage(), e);
        }
        if (card.files().isEmpty()) {
            throw new IllegalArgumentException("model " + model.id() + " lists no bundle files (looked in "
                    + modelsDir + " and " + model.bundlePath() + ")");
        }
        try {
            return cache.resolve(card, model.sha256()).dir();
        } catch (ModelBundleException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    private static boolean sameBundle(Path dir, String sha256) {
        if (!Files.isDirectory(dir) || !ModelBundle.isBundle(dir)) {
            return false;
        }
        try {
            return ModelBundle.read(dir).bundleHash().equals(sha256);
        } catch (ModelBundleException e) {
            return false;
        }
    }
}
