package io.flowrecon.shared.model.store;

import java.net.URI;
import java.util.Map;

/**
 * An S3-compatible object store for bundle files (AWS S3, MinIO, Ceph RGW), for deployments whose priors
 * outgrow the database: objects are named {@code prefix + sha256}. Read from FLOWRECON_BUNDLE_STORE=s3 with
 * FLOWRECON_S3_ENDPOINT, FLOWRECON_S3_BUCKET, FLOWRECON_S3_PREFIX and FLOWRECON_S3_REGION; credentials come
 * from the SDK's usual chain (environment, profile, instance role), never from flowrecon's configuration.
 * This build has no client for it (none can be tested offline here): {@link #open()} refuses with a
 * message saying so, and the API or worker configured with it does not start.
 */
public record ObjectStoreConfig(URI endpoint, String bucket, String prefix, String region) {

    public ObjectStoreConfig {
        if (bucket == null || bucket.isBlank()) {
            throw new IllegalArgumentException("FLOWRECON_S3_BUCKET is required with FLOWRECON_BUNDLE_STORE=s3");
        }
        prefix = prefix == null ? "bundles/" : prefix;
    }

    /** The configured store: empty for the PostgreSQL default ({@code FLOWRECON_BUNDLE_STORE} unset or postgres). */
    public static java.util.Optional<ObjectStoreConfig> fromEnvironment(Map<String, String> env) {
        String kind = env.getOrDefault("FLOWRECON_BUNDLE_STORE", "postgres").trim();
        if (kind.isEmpty() || kind.equals("postgres")) {
            return java.util.Optional.empty();
        }
        if (!kind.equals("s3")) {
            throw new IllegalArgumentException("FLOWRECON_BUNDLE_STORE must be postgres or s3, got '" + kind + "'");
        }
        String endpoint = env.get("FLOWRECON_S3_ENDPOINT");
        return java.util.Optional.of(new ObjectStoreConfig(endpoint == null || endpoint.isBlank() ? null : URI.create(endpoint),
                env.get("FLOWRECON_S3_BUCKET"), env.get("FLOWRECON_S3_PREFIX"), env.get("FLOWRECON_S3_REGION")));
    }

    /** The store's client; not in this build. */
    public BlobStore open() {
        throw new UnsupportedOperationException("FLOWRECON_BUNDLE_STORE=s3: this build has no S3 client; "
                + "unset it to keep bundles in PostgreSQL");
    }
}
