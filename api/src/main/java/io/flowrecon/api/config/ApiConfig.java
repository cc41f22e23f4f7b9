package io.flowrecon.api.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.util.Map;

/** API settings; application.properties maps the shared FLOWRECON_* environment variables onto them. */
@ConfigMapping(prefix = "flowrecon")
public interface ApiConfig {

    Kafka kafka();

    Models models();

    Outbox outbox();

    ImageSets imageSets();

    Experiments experiments();

    Reaper reaper();

    interface Reaper {
        /** Whether this replica looks for jobs RUNNING on dead workers (one replica reaps at a time). */
        @WithDefault("true")
        boolean enabled();

        /**
         * Seconds without a heartbeat after which a worker's RUNNING jobs go back to the queue. Above the share
         * group's record lock (30 s), so that Kafka's own redelivery of a dead worker's record comes first.
         */
        @WithDefault("60")
        long timeoutSeconds();

        /** Pause between passes. */
        @WithDefault("5000")
        long intervalMillis();

        /** Jobs requeued per pass. */
        @WithDefault("100")
        int batchSize();
    }

    interface Experiments {
        /** Jobs one experiment's grid may expand to; a larger grid is a 400 that says both numbers. */
        @WithDefault("20000")
        int maxJobs();
    }

    interface Kafka {
        /** host:port list (FLOWRECON_KAFKA_BOOTSTRAP_SERVERS). */
        String bootstrapServers();

        /**
         * How long a send or a metadata fetch may block. Short, so that a down broker costs the relay a
         * few seconds per attempt, not minutes.
         */
        @WithDefault("3000")
        int requestTimeoutMillis();

        /**
         * Whether an unreachable broker makes the API not ready. Off by default: the outbox keeps
         * accepting jobs while Kafka is down, so taking the API out of rotation would lose more than it saves.
         */
        @WithDefault("false")
        boolean readinessRequired();
    }

    interface Models {
        /** Folder of model bundles (FLOWRECON_MODELS_DIR); a missing folder means no bundles. */
        @WithDefault("models")
        String dir();
    }

    interface Outbox {
        /** Pause between relay passes when the last pass found nothing or succeeded. */
        @WithDefault("250")
        long pollMillis();

        /** Upper bound of the exponential back-off while Kafka is unreachable. */
        @WithDefault("5000")
        long maxBackoffMillis();

        /** Rows published per pass. */
        @WithDefault("200")
        int batchSize();
    }

    interface ImageSets {
        /** Images one set may hold. */
        @WithDefault("10000")
        int maxImages();

        /** Bytes of one encoded image of an upload. */
        @WithDefault("4194304")
        long maxImageBytes();

        /** Pixels of the longer side of one image. */
        @WithDefault("512")
        int maxSide();

        /** Whether the configured folders are loaded (in the background) at start-up. */
        @WithDefault("true")
        boolean loadFolders();

        /** Sets declared by configuration, by name: {@code flowrecon.image-sets.folders.NAME.path=...}. */
        Map<String, Folder> folders();

        interface Folder {
            /** The folder on the API host. */
            String path();

            /** {@code celeba} (the CelebA crop and split) or {@code plain} (every PNG/JPEG, by name). */
            @WithDefault("plain")
            String recipe();

            /** For {@code celeba}: {@code train} or {@code test}. */
            @WithDefault("test")
            String split();

            /** Side of the square images; 0 keeps a plain folder's sizes. */
            @WithDefault("0")
            int size();

            /** At most this many images. */
            @WithDefault("1000")
            int limit();
        }
    }
}
