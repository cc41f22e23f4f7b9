package io.flowrecon.systemtests;

import io.flowrecon.devstack.Infrastructure;
import io.flowrecon.devstack.kafka.EmbeddedKafka;
import io.flowrecon.devstack.net.Ports;
import io.flowrecon.devstack.postgres.Durability;
import io.flowrecon.devstack.postgres.EmbeddedPostgresServer;

import java.nio.file.Path;

/**
 * Kafka and PostgreSQL of this test alone, on fixed ports and data directories, so that both can be stopped and
 * started again on the same data the way an operator restarts them. PostgreSQL commits durably, as the local
 * stack's does: what is tested is that nothing a client was told was accepted is lost.
 */
final class RestartableInfrastructure implements Infrastructure {

    private final Path postgresData;
    private final int postgresPort;
    private final EmbeddedKafka kafka;
    private EmbeddedPostgresServer postgres;

    private RestartableInfrastructure(Path data) {
        this.postgresData = data.resolve("postgres");
        this.postgresPort = Ports.freePort();
        this.kafka = new EmbeddedKafka(0, data.resolve("kafka"));
    }

    /** Both servers started, their data under {@code data} (which the caller deletes). */
    static RestartableInfrastructure start(Path data) {
        RestartableInfrastructure infra = new RestartableInfrastructure(data);
        infra.kafka.start();
        infra.startPostgres();
        return infra;
    }

    /** Stops PostgreSQL (clients see it down); {@link #startPostgres()} brings it back with the same data. */
    synchronized void stopPostgres() {
        if (postgres != null) {
            postgres.close();
            postgres = null;
        }
    }

    synchronized void startPostgres() {
        if (postgres == null) {
            postgres = EmbeddedPostgresServer.start(postgresPort, postgresData, Durability.DURABLE);
        }
    }

    @Override
    public String kafkaBootstrapServers() {
        return kafka.bootstrapServers();
    }

    @Override
    public synchronized String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + postgresPort + "/" + EmbeddedPostgresServer.DATABASE;
    }

    @Override
    public String dbUser() {
        return EmbeddedPostgresServer.USER;
    }

    @Override
    public String dbPassword() {
        return EmbeddedPostgresServer.PASSWORD;
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
    public synchronized String newDatabase(String name) {
        return postgres.createDatabase(name);
    }

    @Override
    public String kind() {
        return "embedded, restartable";
    }

    @Override
    public void close() {
        try {
            kafka.close();
        } finally {
            stopPostgres();
        }
    }
}
