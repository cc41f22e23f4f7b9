package io.flowrecon.worker.bundle;

import io.flowrecon.shared.job.ImageShape;
import io.flowrecon.shared.model.ModelBundle;
import io.flowrecon.shared.model.ModelBundleException;
import io.flowrecon.shared.model.ModelCard;
import io.flowrecon.shared.model.Sha256;
import io.flowrecon.shared.model.store.BlobStore;
import io.flowrecon.worker.store.ModelRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A worker's bundle cache: fetched once, served from disk, verified, fetched again when damaged. */
class BundleCacheTest {

    private static final byte[] GENERATOR = "generator bytes".getBytes(StandardCharsets.UTF_8);
    private static final byte[] ENCODER = "encoder bytes".getBytes(StandardCharsets.UTF_8);

    /** The central store, counting reads. */
    static final class CountingStore implements BlobStore {
        final Map<String, byte[]> blobs = new HashMap<>();
        int reads;

        @Override
        public void put(String sha256, byte[] content) {
            blobs.putIfAbsent(sha256, content.clone());
        }

        @Override
        public Optional<byte[]> get(String sha256) {
            reads++;
            return Optional.ofNullable(blobs.get(sha256)).map(byte[]::clone);
        }

        @Override
        public boolean contains(String sha256) {
            return blobs.containsKey(sha256);
        }

        @Override
        public int deleteUnreferenced() {
            return 0;
        }
    }

    private final CountingStore store = new CountingStore();

    private ModelCard card() {
        store.put(Sha256.hex(GENERATOR), GENERATOR);
        store.put(Sha256.hex(ENCODER), ENCODER);
        return new ModelCard("imported-glow", "glow", null, null, new ImageShape(1, 8, 8), 64, null, Map.of(), Map.of(),
                null, Map.of(ModelBundle.GENERATOR, Sha256.hex(GENERATOR), ModelBundle.ENCODER, Sha256.hex(ENCODER)),
                Instant.parse("2026-12-01T00:00:00Z"));
    }

    @Test
    void aBundleIsFetchedOnceThenServedFromDiskUnderItsHash(@TempDir Path root) throws Exception {
        ModelCard card = card();
        BundleCache cache = new BundleCache(root, store);
        ModelBundle first = cache.resolve(card, ModelBundle.bundleHash(card));
        assertEquals(root.resolve(ModelBundle.bundleHash(card)), first.dir());
        assertArrayEquals(GENERATOR, Files.readAllBytes(first.file(ModelBundle.GENERATOR)));
        assertEquals(2, store.reads);

        ModelBundle second = cache.resolve(card, ModelBundle.bundleHash(card));
        assertEquals(first.dir(), second.dir());
        assertEquals(2, store.reads, "the second resolve reads nothing from the store");
        try (var left = Files.list(root)) {
            assertEquals(List.of(first.dir()), left.toList(), "no staging folder is left behind");
        }
    }

    @Test
    void aCorruptedCacheFileIsFetchedAgain(@TempDir Path root) throws Exception {
        ModelCard card = card();
        BundleCache cache = new BundleCache(root, store);
        ModelBundle bundle = cache.resolve(card, ModelBundle.bundleHash(card));
        Files.write(bundle.file(ModelBundle.GENERATOR), "bit rot".getBytes(StandardCharsets.UTF_8));

        ModelBundle again = cache.resolve(card, ModelBundle.bundleHash(card));
        assertArrayEquals(GENERATOR, Files.readAllBytes(again.file(ModelBundle.GENERATOR)));
        assertEquals(4, store.reads, "both files fetched again");
    }

    @Test
    void bytesFromTheStoreWithAnotherHashAreRefused(@TempDir Path root) {
        ModelCard card = card();
        store.blobs.put(Sha256.hex(GENERATOR), "tampered".getBytes(StandardCharsets.UTF_8));
        ModelBundleException e = assertThrows(ModelBundleException.class,
                () -> new BundleCache(root, store).resolve(card, ModelBundle.bundleHash(card)));
        assertTrue(e.getMessage().contains("generator.onnx with sha256"), e.getMessage());
        assertTrue(Files.notExists(root.resolve(ModelBundle.bundleHash(card))), "nothing is cached");
    }

    @Test
    void aCardThatDoesNotHashToTheRegisteredBundleIsRefused(@TempDir Path root) {
        ModelBundleException e = assertThrows(ModelBundleException.class,
                () -> new BundleCache(root, store).resolve(card(), "0".repeat(64)));
        assertTrue(e.getMessage().contains("not the registered"), e.getMessage());
    }

    @Test
    void theResolverPrefersALocalCopyWithTheRegisteredHashAndFetchesOtherwise(@TempDir Path root,
                                                                              @TempDir Path models) throws Exception {
        ModelCard card = card();
        Path local = models.resolve(card.id());
        Files.createDirectories(local);
        Files.write(local.resolve(ModelBundle.GENERATOR), GENERATOR);
        Files.write(local.resolve(ModelBundle.ENCODER), ENCODER);
        ModelBundle.write(local, card, List.of(ModelBundle.GENERATOR, ModelBundle.ENCODER));
        ModelRecord record = new ModelRecord(card.id(), card.kind(), ModelBundle.bundleHash(card), null, card.toJson());

        assertEquals(local, new BundleResolver(models, new BundleCache(root, store)).dirOf(record));
        assertEquals(0, store.reads);
        Path fetched = new BundleResolver(null, new BundleCache(root, store)).dirOf(record);
        assertEquals(root.resolve(ModelBundle.bundleHash(card)), fetched);

        ModelRecord missing = new ModelRecord("gone", "glow", "f".repeat(64), null,
                new ModelCard("gone", "glow", null, null, null, null, null, null, null, null, Map.of(), null).toJson());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new BundleResolver(null, new BundleCache(root, store)).dirOf(missing));
        assertTrue(e.getMessage().contains("lists no bundle files"), e.getMessage());
    }
}
