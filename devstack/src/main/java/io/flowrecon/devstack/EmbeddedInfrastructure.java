package io.flowrecon.devstack;

import io.flowrecon.devstack.kafka.EmbeddedKafka;
import io.flowrecon.devstack.postgres.Durability;
import io.flowrecon.devstack.postgres.EmbeddedPostgresServer;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** Kafka in this JVM and PostgreSQL as a child process: no Docker needed. */
public final class EmbeddedInfrastructure implements Infrastructure {

    private final EmbeddedKafka kafka;
    private final EmbeddedPostgresServer postgres;

    public EmbeddedInfrastructure(EmbeddedKafka kafka, EmbeddedPostgresServer postgres) {
        this.kafka = kafka;
        this.postgres = postgres;
    }

    /** Both servers on free ports with temporary data, started side by side. */
    public static EmbeddedInfrastructure start(Durability durability) {
        CompletableFuture<EmbeddedPostgresServer> postgres =
                CompletableFuture.supplyAsync(() -> EmbeddedPostgresServer.startEphemeral(durability));
        EmbeddedKafka kafka;
        try {
            kafka = EmbeddedKafka.startEphemeral();
        } catch (RuntimeException e) {
            postgres.thenAccept(EmbeddedPostgresServer::close);
            throw e;
        }
        try {
            return new EmbeddedInfrastructure(kafka, postgres.join());
        } catch (CompletionException e) {
            kafka.close();
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    public EmbeddedKafka kafka() {
        return kafka;
    }

    public EmbeddedPostgresServer postgres() {
        return postgres;
    }

    @Override
    public String kafkaBootstrapServers() {
        return kafka.bootstrapServers();
    }

    @Override
    public String jdbcUrl() {
        return postgres.jdbcUrl();
    }

    @Override
    public String dbUser() {
        return postgres.user();
    }

    @Override
    public String dbPassword() {
        return postgres.password();
    }

    @Override
    public void stopKafka() {
        kafka.stop();
    }

    @Override
    public void startKafka() {
        kafka.start();
    }

    @Override
    public String newDatabase(String name) {
        return postgres.createDatabase(name);
    }

    @Override
    public String kind() {
        return "embedded";
    }

    @Override
    public void close() {
        try {
            kafka.close();
        } finally {
            postgres.close();
        }
    }
}
