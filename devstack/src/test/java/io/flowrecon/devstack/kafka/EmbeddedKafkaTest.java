package io.flowrecon.devstack.kafka;

import io.flowrecon.devstack.net.Ports;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.FeatureMetadata;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EmbeddedKafkaTest {

    /** A new EmbeddedKafka on an existing data directory (the local stack after a restart) keeps its topics. */
    @Test
    void newInstanceOnTheSameDataDirectoryKeepsTopicsAndShareGroupsEnabled(@TempDir Path dataDirectory)
            throws Exception {
        int port = Ports.freePort();
        try (EmbeddedKafka first = new EmbeddedKafka(port, dataDirectory).start();
             Admin admin = admin(first)) {
            admin.createTopics(List.of(new NewTopic("kept", 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        assertFalse(Ports.isTaken(port), "the port is released by close()");

        try (EmbeddedKafka second = new EmbeddedKafka(port, dataDirectory).start();
             Admin admin = admin(second)) {
            assertTrue(admin.listTopics().names().get(30, TimeUnit.SECONDS).contains("kept"));
            FeatureMetadata features = admin.describeFeatures().featureMetadata().get(30, TimeUnit.SECONDS);
            short shareVersion = features.finalizedFeatures().get("share.version").maxVersionLevel();
            assertTrue(shareVersion >= 1, "share groups need share.version >= 1, was " + shareVersion);
            assertEquals("localhost:" + port, second.bootstrapServers());
        }
    }

    private static Admin admin(EmbeddedKafka kafka) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
    }
}
