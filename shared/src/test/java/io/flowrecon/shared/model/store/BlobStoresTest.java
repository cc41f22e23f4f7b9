package io.flowrecon.shared.model.store;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which bundle store the environment selects, and the errors that name the variable. */
class BlobStoresTest {

    @Test
    void postgresIsTheDefault() {
        assertInstanceOf(PostgresBlobStore.class, BlobStores.fromEnvironment(Map.of(), null));
        assertInstanceOf(PostgresBlobStore.class, BlobStores.fromEnvironment(Map.of("FLOWRECON_BUNDLE_STORE", "postgres"), null));
    }

    @Test
    void anS3StoreIsReadFromTheEnvironmentWithItsDefaults() {
        Map<String, String> env = Map.of("FLOWRECON_BUNDLE_STORE", "s3", "FLOWRECON_S3_BUCKET", "priors",
                "FLOWRECON_S3_ENDPOINT", "http://minio:9000");
        ObjectStoreConfig config = ObjectStoreConfig.fromEnvironment(env).orElseThrow();
        assertEquals(URI.create("http://minio:9000"), config.endpoint());
        assertEquals("bundles/", config.prefix());
        assertEquals("us-east-1", config.region());
    }

    @Test
    void aBadSettingNamesTheVariable() {
        IllegalArgumentException kind = assertThrows(IllegalArgumentException.class,
                () -> BlobStores.fromEnvironment(Map.of("FLOWRECON_BUNDLE_STORE", "nfs"), null));
        assertTrue(kind.getMessage().contains("FLOWRECON_BUNDLE_STORE must be postgres or s3"), kind.getMessage());
        IllegalArgumentException bucket = assertThrows(IllegalArgumentException.class,
                () -> BlobStores.fromEnvironment(Map.of("FLOWRECON_BUNDLE_STORE", "s3"), null));
        assertTrue(bucket.getMessage().contains("FLOWRECON_S3_BUCKET"), bucket.getMessage());
        IllegalArgumentException endpoint = assertThrows(IllegalArgumentException.class,
                () -> BlobStores.fromEnvironment(Map.of("FLOWRECON_BUNDLE_STORE", "s3", "FLOWRECON_S3_BUCKET", "priors",
                        "FLOWRECON_S3_ENDPOINT", "minio:9000"), null));
        assertTrue(endpoint.getMessage().contains("FLOWRECON_S3_ENDPOINT must be an http(s) URL"), endpoint.getMessage());
    }
}
