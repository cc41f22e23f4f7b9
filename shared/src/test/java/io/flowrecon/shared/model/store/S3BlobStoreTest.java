package io.flowrecon.shared.model.store;

import com.adobe.testing.s3mock.S3MockApplication;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The S3 bundle store against a real S3 server (Adobe's S3Mock, started in this JVM on a free port): objects under
 * the prefix, a missing one reported as absent, clean-up that spares what model cards list and what is younger
 * than the grace period, and configuration that refuses a bucket the store does not have.
 */
class S3BlobStoreTest {

    private static final String BUCKET = "priors";
    private static S3MockApplication server;
    private static S3Client client;
    private static URI endpoint;

    @BeforeAll
    static void startServer(@TempDir Path root) {
        server = S3MockApplication.start(new java.util.HashMap<>(Map.of(
                S3MockApplication.PROP_HTTP_PORT, S3MockApplication.RANDOM_PORT,
                S3MockApplication.PROP_HTTPS_PORT, S3MockApplication.RANDOM_PORT,
                S3MockApplication.PROP_INITIAL_BUCKETS, BUCKET,
                S3MockApplication.PROP_ROOT_DIRECTORY, root.toString(),
                S3MockApplication.PROP_SILENT, true)));
        endpoint = URI.create("http://localhost:" + server.getHttpPort());
        client = S3Client.builder().httpClientBuilder(UrlConnectionHttpClient.builder()).region(Region.US_EAST_1)
                .endpointOverride(endpoint).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .build();
    }

    @AfterAll
    static void stopServer() {
        client.close();
        server.stop();
    }

    private static S3BlobStore store(String prefix, Set<String> referenced, Duration keepNewerThan, Clock clock) {
        return new S3BlobStore(client, BUCKET, prefix, () -> referenced, keepNewerThan, clock);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aStoredFileComesBackByItsHashAndAMissingOneIsAbsent() throws Exception {
        S3BlobStore store = store("roundtrip/", Set.of(), S3BlobStore.DEFAULT_KEEP_NEWER_THAN, Clock.systemUTC());
        assertFalse(store.contains("aa11"));
        assertEquals(Optional.empty(), store.get("aa11"));

        store.put("aa11", bytes("generator bytes"));
        store.put("aa11", bytes("generator bytes"));
        assertTrue(store.contains("aa11"));
        assertArrayEquals(bytes("generator bytes"), store.get("aa11").orElseThrow());
        assertTrue(client.headObject(b -> b.bucket(BUCKET).key("roundtrip/aa11")).contentLength() > 0,
                "the object is named prefix + sha256");
    }

    @Test
    void cleanUpDeletesOnlyUnlistedFilesOlderThanTheGracePeriod() throws Exception {
        S3BlobStore fresh = store("cleanup/", Set.of("kept"), Duration.ofHours(1), Clock.systemUTC());
        fresh.put("kept", bytes("listed by a model card"));
        fresh.put("orphan", bytes("listed by no card"));
        assertEquals(0, fresh.deleteUnreferenced(), "an object stored a moment ago may belong to an import in flight");
        assertTrue(fresh.contains("orphan"));

        Clock twoHoursLater = Clock.fixed(Instant.now().plus(Duration.ofHours(2)), ZoneOffset.UTC);
        S3BlobStore later = store("cleanup/", Set.of("kept"), Duration.ofHours(1), twoHoursLater);
        assertEquals(1, later.deleteUnreferenced());
        assertFalse(later.contains("orphan"));
        assertTrue(later.contains("kept"));
    }

    @Test
    void theEnvironmentOpensTheStoreWithTheSdkCredentialChain() throws Exception {
        // The SDK's default chain reads these system properties first (then the environment, profiles, roles).
        System.setProperty("aws.accessKeyId", "test");
        System.setProperty("aws.secretAccessKey", "test");
        try {
            Map<String, String> env = Map.of("FLOWRECON_BUNDLE_STORE", "s3", "FLOWRECON_S3_BUCKET", BUCKET,
                    "FLOWRECON_S3_ENDPOINT", endpoint.toString(), "FLOWRECON_S3_PREFIX", "env/");
            BlobStore store = BlobStores.fromEnvironment(env, null);
            assertInstanceOf(S3BlobStore.class, store);
            store.put("bb22", bytes("through the configured client"));
            assertArrayEquals(bytes("through the configured client"),
                    client.getObjectAsBytes(b -> b.bucket(BUCKET).key("env/bb22")).asByteArray());

            Map<String, String> missing = Map.of("FLOWRECON_BUNDLE_STORE", "s3", "FLOWRECON_S3_BUCKET", "no-such-bucket",
                    "FLOWRECON_S3_ENDPOINT", endpoint.toString());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> BlobStores.fromEnvironment(missing, null));
            assertTrue(e.getMessage().startsWith("FLOWRECON_S3_BUCKET 'no-such-bucket' is not reachable at " + endpoint),
                    e.getMessage());
        } finally {
            System.clearProperty("aws.accessKeyId");
            System.clearProperty("aws.secretAccessKey");
        }
    }
}
