package io.flowrecon.shared.model.store;

import java.io.IOException;
import java.util.Optional;

/**
 * Where bundle files live centrally, content-addressed by their sha256 (the hashes a model card lists). The API
 * writes them when a model is imported or registered; a worker reads them on first use and caches them on its
 * disk. {@link PostgresBlobStore} is the embedded default; {@link S3BlobStore} keeps them in an S3-compatible
 * object store ({@link ObjectStoreConfig}).
 */
public interface BlobStore {

    /** Stores {@code content} under {@code sha256} unless a blob with that hash is already there. */
    void put(String sha256, byte[] content) throws IOException;

    /** The blob stored under {@code sha256}, if any. */
    Optional<byte[]> get(String sha256) throws IOException;

    /** Whether a blob is stored under {@code sha256}. */
    boolean contains(String sha256) throws IOException;

    /** Removes the blobs that no model card lists any more; returns how many went. */
    int deleteUnreferenced() throws IOException;
}
