package io.flowrecon.api.outbox;

import io.flowrecon.api.config.ApiConfig;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;

import java.util.HashMap;
import java.util.Map;

/** Builds the plain Kafka clients the API uses, with timeouts short enough for a down broker. */
@ApplicationScoped
public class KafkaClients {

    private final ApiConfig config;

    public KafkaClients(ApiConfig config) {
        this.config = config;
    }

    /**
     * An idempotent producer (acks=all, so a published message survives a broker failover, and no
     * duplicates from the producer's own retries). A send blocks at most requestTimeoutMillis for
     * metadata and fails after twice that, so one relay pass against a down broker is short.
     */
    public KafkaProducer<String, String> newProducer() {
        int timeout = config.kafka().requestTimeoutMillis();
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafka().bootstrapServers());
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "flowrecon-api-outbox");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeout);
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, timeout);
        // delivery.timeout.ms must be >= linger.ms + request.timeout.ms.
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 2 * timeout);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        props.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return new KafkaProducer<>(props);
    }

    /** An admin client for the readiness probe. */
    public Admin newAdmin() {
        int timeout = config.kafka().requestTimeoutMillis();
        Map<String, Object> props = new HashMap<>();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafka().bootstrapServers());
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, "flowrecon-api-health");
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeout);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeout);
        props.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000);
        return Admin.create(props);
    }
}
