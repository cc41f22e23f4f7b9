package io.flowrecon.api.health;

import io.flowrecon.api.config.ApiConfig;
import io.flowrecon.api.outbox.KafkaClients;
import io.flowrecon.api.outbox.OutboxRelay;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.admin.Admin;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Reports whether the broker answers and how many outbox rows wait. By default it stays UP when
 * the broker is down (the outbox keeps accepting jobs; see ApiConfig.Kafka#readinessRequired), and
 * it is never a liveness check: a down broker is no reason to restart the API.
 */
@Readiness
@ApplicationScoped
public class KafkaReadiness implements HealthCheck {

    private final KafkaClients clients;
    private final OutboxRelay relay;
    private final ApiConfig config;
    private Admin admin;

    public KafkaReadiness(KafkaClients clients, OutboxRelay relay, ApiConfig config) {
        this.clients = clients;
        this.relay = relay;
        this.config = config;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("kafka")
                .withData("bootstrapServers", config.kafka().bootstrapServers());
        double pending = relay.pendingOrNaN();
        if (!Double.isNaN(pending)) {
            response.withData("pendingOutbox", (long) pending);
        }
        boolean reachable;
        try {
            int nodes = admin().describeCluster().nodes().get(config.kafka().requestTimeoutMillis(), TimeUnit.MILLISECONDS).size();
            response.withData("brokers", nodes);
            reachable = true;
        } catch (Exception e) {
            response.withData("error", e.getClass().getSimpleName() + ": " + e.getMessage());
            reachable = false;
        }
        response.withData("reachable", reachable);
        return response.status(reachable || !config.kafka().readinessRequired()).build();
    }

    private synchronized Admin admin() {
        if (admin == null) {
            admin = clients.newAdmin();
        }
        return admin;
    }

    @PreDestroy
    synchronized void close() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(1));
        }
    }
}
