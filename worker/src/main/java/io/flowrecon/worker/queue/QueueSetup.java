package io.flowrecon.worker.queue;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Makes the broker ready for workers; idempotent, every worker runs it at start-up.
 * A share group starts at the latest offset by default (KIP-932), which would skip jobs
 * published before the first worker joined, so the group is set to start at the earliest.
 */
public final class QueueSetup {

    /** Group config name from KIP-932 (GroupConfig.SHARE_AUTO_OFFSET_RESET_CONFIG). */
    public static final String SHARE_AUTO_OFFSET_RESET = "share.auto.offset.reset";
    /** Group config name from KIP-932: how long a delivered record stays locked to its consumer. */
    public static final String SHARE_RECORD_LOCK_DURATION_MS = "share.record.lock.duration.ms";

    private final String bootstrapServers;

    public QueueSetup(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    /** Creates the topic (broker defaults for partitions and replicas) unless it exists, and sets the group configs. */
    public void ensure(String topic, String shareGroup) {
        try (Admin admin = Admin.create(adminProperties())) {
            createTopic(admin, topic);
            setGroupConfigs(admin, shareGroup, Map.of(SHARE_AUTO_OFFSET_RESET, "earliest"));
        }
    }

    /** Sets share-group configs (e.g. a short record lock duration in tests); values must lie within the broker's bounds. */
    public void setGroupConfigs(String shareGroup, Map<String, String> configs) {
        try (Admin admin = Admin.create(adminProperties())) {
            setGroupConfigs(admin, shareGroup, configs);
        }
    }

    private static void createTopic(Admin admin, String topic) {
        try {
            admin.createTopics(List.of(new NewTopic(topic, Optional.empty(), Optional.empty())))
                    .all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create topic " + topic + ": " + e.getCause(), e.getCause());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topic " + topic, e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("broker did not answer within 30 s while creating topic " + topic, e);
        }
    }

    private static void setGroupConfigs(Admin admin, String shareGroup, Map<String, String> configs) {
        ConfigResource group = new ConfigResource(ConfigResource.Type.GROUP, shareGroup);
        Collection<AlterConfigOp> ops = configs.entrySet().stream()
                .map(e -> new AlterConfigOp(new ConfigEntry(e.getKey(), e.getValue()), AlterConfigOp.OpType.SET))
                .toList();
        try {
            admin.incrementalAlterConfigs(Map.of(group, ops)).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot set configs " + configs + " of share group " + shareGroup
                    + ": " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while configuring share group " + shareGroup, e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("broker did not answer within 30 s while configuring share group " + shareGroup, e);
        }
    }

    private Properties adminProperties() {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        return props;
    }
}
