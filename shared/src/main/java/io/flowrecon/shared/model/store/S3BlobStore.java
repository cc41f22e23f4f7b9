package io.flowrecon.shared.model.store;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * Bundle files as objects {@code prefix + sha256} in one bucket of an S3-compatible store (AWS S3, MinIO, Ceph RGW),
 * for deployments whose priors outgrow the database. Objects are content-addressed, so a second put of the same
 * hash is skipped and a concurrent one writes the same bytes.
 *
 * <p>Clean-up lists the prefix and deletes objects no model card lists any more. The API stores a model's files
 * before it inserts the model's row, so objects younger than {@code keepNewerThan} are left for the next clean-up:
 * an import in flight does not lose its files.
 */
public final class S3BlobStore implements BlobStore {

    /** How long a fresh object is safe from clean-up; an import takes seconds, validation does not touch the store. */
    public static final Duration DEFAULT_KEEP_NEWER_THAN = Duration.ofHours(1);

    private final S3Client client;
    private final String bucket;
    private final String prefix;
    private final ReferencedHashes referenced;
    private final Duration keepNewerThan;
    private final Clock clock;

    public S3BlobStore(S3Client client, String bucket, String prefix, ReferencedHashes referenced,
                       Duration keepNewerThan, Clock clock) {
        this.client = client;
        this.bucket = bucket;
        this.prefix = prefix;
        this.referenced = referenced;
        this.keepNewerThan = keepNewerThan;
        this.clock = clock;
    }

    @Override
    public void put(String sha256, byte[] content) throws IOException {
        if (contains(sha256)) {
            return;
        }
        try {
            client.putObject(b -> b.bucket(bucket).key(key(sha256)).contentLength((long) content.length),
                    RequestBody.fromBytes(content));
        } catch (SdkException e) {
            throw failure("cannot store bundle file " + sha256, e);
        }
    }

    @Override
    public Optional<byte[]> get(String sha256) throws IOException {
        try {
            return Optional.of(client.getObjectAsBytes(b -> b.bucket(bucket).key(key(sha256))).asByteArray());
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (SdkException e) {
            throw failure("cannot read bundle file " + sha256, e);
        }
    }

    @Override
    public boolean contains(String sha256) throws IOException {
        try {
            client.headObject(b -> b.bucket(bucket).key(key(sha256)));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        } catch (S3Exception e) {
            // HEAD answers carry no error body, so a missing object may arrive as a bare 404
            if (e.statusCode() == 404) {
                return false;
            }
            throw failure("cannot look up bundle file " + sha256, e);
        } catch (SdkException e) {
            throw failure("cannot look up bundle file " + sha256, e);
        }
    }

    @Override
    public int deleteUnreferenced() throws IOException {
        Set<String> keep = referenced.list();
        Instant youngest = clock.instant().minus(keepNewerThan);
        int deleted = 0;
        try {
            for (S3Object object : client.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents()) {
                String hash = object.key().substring(prefix.length());
                if (!keep.contains(hash) && object.lastModified().isBefore(youngest)) {
                    client.deleteObject(b -> b.bucket(bucket).key(object.key()));
                    deleted++;
                }
            }
        } catch (SdkException e) {
            throw failure("cannot delete unreferenced bundle files", e);
        }
        return deleted;
    }

    private String key(String sha256) {
        return prefix + sha256;
    }

    private IOException failure(String what, SdkException e) {
        return new IOException(what + " in s3://" + bucket + "/" + prefix + ": " + e.getMessage(), e);
    }
}
