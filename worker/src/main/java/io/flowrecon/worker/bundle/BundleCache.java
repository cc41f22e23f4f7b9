package io.flowrecon.worker.bundle;

import io.flowrecon.shared.model.ModelBundle;
import io.flowrecon.shared.model.ModelBundleException;
import io.flowrecon.shared.model.ModelCard;
import io.flowrecon.shared.model.Sha256;
import io.flowrecon.shared.model.store.BlobStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

/**
 * A worker's disk cache of bundles fetched from the central {@link BlobStore}: one folder per bundle hash, its
 * files verified against the card's sha256 on every resolve (a corrupted or half-written file is fetched
 * again). Folders are written under a temporary name and moved into place, so that two workers sharing a
 * disk, or one killed mid-fetch, never serve a partial bundle.
 */
public final class BundleCache {

    private static final Logger LOG = LoggerFactory.getLogger(BundleCache.class);

    private final Path root;
    private final BlobStore store;

    public BundleCache(Path root, BlobStore store) {
        this.root = root.toAbsolutePath().normalize();
        this.store = store;
    }

    /** FLOWRECON_BUNDLE_CACHE, else flowrecon-bundles under the temporary folder (writable in the images). */
    public static Path defaultRoot(Map<String, String> env) {
        String dir = env.get("FLOWRECON_BUNDLE_CACHE");
        return dir == null || dir.isBlank() ? Path.of(System.getProperty("java.io.tmpdir"), "flowrecon-bundles") : Path.of(dir);
    }

    /**
     * The bundle of {@code card} on this disk, fetched when absent or damaged.
     *
     * @param bundleHash the registered hash ({@link ModelBundle#bundleHash(ModelCard)} of the card)
     * @throws ModelBundleException when the store lacks a file or hands back bytes with another hash
     */
    public ModelBundle resolve(ModelCard card, String bundleHash) throws ModelBundleException {
        if (!ModelBundle.bundleHash(card).equals(bundleHash)) {
            throw new ModelBundleException("model " + card.id() + ": its card's files hash to "
                    + ModelBundle.bundleHash(card) + ", not the registered " + bundleHash);
        }
        Path dir = root.resolve(bundleHash);
        if (ModelBundle.isBundle(dir)) {
            try {
                return ModelBundle.read(dir);
            } catch (ModelBundleException e) {
                LOG.warn("cached bundle of {} is damaged, fetching it again: {}", card.id(), e.getMessage());
            }
        }
        return fetch(card, dir);
    }

    private synchronized ModelBundle fetch(ModelCard card, Path dir) throws ModelBundleException {
        Path staging = null;
        try {
            Files.createDirectories(root);
            staging = Files.createTempDirectory(root, dir.getFileName() + ".fetch-");
            for (Map.Entry<String, String> file : card.files().entrySet()) {
                byte[] content = store.get(file.getValue()).orElseThrow(() -> new ModelBundleException("model "
                        + card.id() + ": the bundle store has no " + file.getKey() + " (sha256 " + file.getValue() + ")"));
                String actual = Sha256.hex(content);
                if (!actual.equals(file.getValue())) {
                    throw new ModelBundleException("model " + card.id() + ": the bundle store handed back " + file.getKey()
                            + " with sha256 " + actual + ", the card says " + file.getValue());
                }
                Path target = staging.resolve(file.getKey()).normalize();
                if (!target.startsWith(staging)) {
                    throw new ModelBundleException("model " + card.id() + ": file name " + file.getKey() + " leaves the bundle folder");
                }
                Files.write(target, content);
            }
            Files.writeString(staging.resolve(ModelCard.FILE_NAME), card.toJson() + "\n", StandardCharsets.UTF_8);
            ModelBundle.read(staging);
            deleteTree(dir);
            Files.move(staging, dir, StandardCopyOption.ATOMIC_MOVE);
            staging = null;
            LOG.info("fetched bundle of {} into {}", card.id(), dir);
            return ModelBundle.read(dir);
        } catch (IOException e) {
            throw new ModelBundleException("model " + card.id() + ": cannot fetch its bundle into " + dir + ": " + e, e);
        } finally {
            if (staging != null) {
                deleteTree(staging);
            }
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            LOG.warn("cannot delete {}: {}", dir, e.toString());
        }
    }
}
