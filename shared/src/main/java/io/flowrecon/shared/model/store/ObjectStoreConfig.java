package io.flowrecon.shared.model.store;

import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

import javax.sql.DataSource;
import java.net.URI;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/**
 * An S3-compatible object store for bundle files (AWS S3, MinIO, Ceph RGW), for deployments whose priors
 * outgrow the database: objects are named {@code prefix + sha256}. Read from FLOWRECON_BUNDLE_STORE=s3 with
 * FLOWRECON_S3_BUCKET (required), FLOWRECON_S3_ENDPOINT (a non-AWS store; addressed path-style),
 * FLOWRECON_S3_PREFIX (default {@code bundles/}) and FLOWRECON_S3_REGION (default us-east-1). Credentials come
 * from the AWS SDK's usual chain (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, a profile, an instance or pod role),
 * never from flowrecon's configuration.
 */
public record ObjectStoreConfig(URI endpoint, String bucket, String prefix, String region) {

    public ObjectStoreConfig {
        if (bucket == null || bucket.isBlank()) {
            throw new IllegalArgumentException("FLOWRECON_S3_BUCKET is required with FLOWRECON_BUNDLE_STORE=s3");
        }
        prefix = prefix == null ? "bundles/" : prefix;
        region = region == null || region.isBlank() ? "us-east-1" : region;
        if (endpoint != null && (endpoint.getScheme() == null || endpoint.getHost() == null)) {
            throw new IllegalArgumentException("FLOWRECON_S3_ENDPOINT must be an http(s) URL such as http://minio:9000, got '"
                    + endpoint + "'");
        }
    }

    /** The configured store: empty for the PostgreSQL default ({@code FLOWRECON_BUNDLE_STORE} unset or postgres). */
    public static Optional<ObjectStoreConfig> fromEnvironment(Map<String, String> env) {
        String kind = env.getOrDefault("FLOWRECON_BUNDLE_STORE", "postgres").trim();
        if (kind.isEmpty() || kind.equals("postgres")) {
            return Optional.empty();
        }
        if (!kind.equals("s3")) {
            throw new IllegalArgumentException("FLOWRECON_BUNDLE_STORE must be postgres or s3, got '" + kind + "'");
        }
        String endpoint = env.get("FLOWRECON_S3_ENDPOINT");
        URI uri;
        try {
            uri = endpoint == null || endpoint.isBlank() ? null : URI.create(endpoint.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("FLOWRECON_S3_ENDPOINT must be an http(s) URL, got '" + endpoint + "'", e);
        }
        return Optional.of(new ObjectStoreConfig(uri, env.get("FLOWRECON_S3_BUCKET"), env.get("FLOWRECON_S3_PREFIX"),
                env.get("FLOWRECON_S3_REGION")));
    }

    /**
     * A client for the store, checked by asking for the bucket: a process configured with a store it cannot reach
     * or a bucket that does not exist refuses to start, saying which.
     *
     * @param dataSource the database whose model cards say which objects are still in use
     */
    public BlobStore open(DataSource dataSource) {
        S3ClientBuilder builder = S3Client.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .region(Region.of(region))
                .credentialsProvider(DefaultCredentialsProvider.builder().build())
                // Checksums only where S3 requires them: stores other than AWS do not all accept the newer
                // trailing checksums, and a worker verifies every file's sha256 itself.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        if (endpoint != null) {
            builder.endpointOverride(endpoint).forcePathStyle(true);
        }
        S3Client client = builder.build();
        try {
            client.headBucket(b -> b.bucket(bucket));
        } catch (SdkException e) {
            client.close();
            throw new IllegalArgumentException("FLOWRECON_S3_BUCKET '" + bucket + "' is not reachable at "
                    + (endpoint == null ? "AWS S3 (" + region + ")" : endpoint) + ": " + e.getMessage(), e);
        }
        return new S3BlobStore(client, bucket, prefix, ReferencedHashes.ofModelCards(dataSource),
                S3BlobStore.DEFAULT_KEEP_NEWER_THAN, Clock.systemUTC());
    }
}
