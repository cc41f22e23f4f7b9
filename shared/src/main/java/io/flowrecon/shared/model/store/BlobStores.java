package io.flowrecon.shared.model.store;

import javax.sql.DataSource;
import java.util.Map;

/** The bundle store a process is configured with (FLOWRECON_BUNDLE_STORE): the API and workers pick it alike. */
public final class BlobStores {

    private BlobStores() {
    }

    /**
     * PostgreSQL (the default) through {@code dataSource}, or the object store {@link ObjectStoreConfig} describes.
     *
     * @throws IllegalArgumentException naming the variable when the configuration is wrong or the store unreachable
     */
    public static BlobStore fromEnvironment(Map<String, String> env, DataSource dataSource) {
        return ObjectStoreConfig.fromEnvironment(env).map(config -> config.open(dataSource))
                .orElseGet(() -> new PostgresBlobStore(dataSource));
    }
}
