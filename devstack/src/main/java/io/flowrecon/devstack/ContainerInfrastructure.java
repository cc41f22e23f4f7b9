package io.flowrecon.devstack;

import io.flowrecon.devstack.postgres.Durability;
import io.flowrecon.devstack.postgres.PostgresDatabases;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.PostgreSQLContainer;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Kafka ({@code apache/kafka:4.4.0}) and PostgreSQL ({@code postgres:17}) in Docker via Testcontainers.
 * {@link #stopKafka()} pauses the container rather than stopping it: a stopped container comes back on a new
 * mapped port, a paused one keeps its port and data, and clients meanwhile see the broker as unreachable.
 */
public final class ContainerInfrastructure implements Infrastructure {

    static final DockerImageName KAFKA_IMAGE = DockerImageName.parse("apache/kafka:4.4.0");
    static final DockerImageName POSTGRES_IMAGE = DockerImageName.parse("postgres:17");
    private static final String DATABASE = "flowrecon";
    private static final String USER = "flowrecon";
    private static final String PASSWORD = "flowrecon";

    private final KafkaContainer kafka;
    private final PostgreSQLContainer<?> postgres;
    private final PostgresDatabases admin;
    private boolean kafkaPaused;

    private ContainerInfrastructure(KafkaContainer kafka, PostgreSQLContainer<?> postgres) {
        this.kafka = kafka;
        this.postgres = postgres;
        // The image makes POSTGRES_USER the superuser, so the application role can create databases.
        String adminUrl = "jdbc:postgresql://" + postgres.getHost() + ":"
                + postgres.getMappedPort(PostgreSQLContainer.POSTGRESQL_PORT) + "/postgres";
        this.admin = new PostgresDatabases(adminUrl, USER, PASSWORD);
    }

    public static ContainerInfrastructure start(Durability durability) {
        KafkaContainer kafka = new KafkaContainer(KAFKA_IMAGE)
                // One node: internal topics with one replica (share-state included), no rebalance delay.
                .withEnv("KAFKA_SHARE_COORDINATOR_STATE_TOPIC_REPLICATION_FACTOR", "1")
                .withEnv("KAFKA_SHARE_COORDINATOR_STATE_TOPIC_MIN_ISR", "1")
                .withEnv("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0");
        PostgreSQLContainer<?> postgres = new PostgreSQLContainer<>(POSTGRES_IMAGE)
                .withDatabaseName(DATABASE).withUsername(USER).withPassword(PASSWORD)
                // In place of Testcontainers' own "postgres -c fsync=off": the caller's choice, spelled out.
                .withCommand(serverCommand(durability));
        try {
            kafka.start();
            postgres.start();
        } catch (RuntimeException e) {
            kafka.stop();
            postgres.stop();
            throw e;
        }
        return new ContainerInfrastructure(kafka, postgres);
    }

    private static String[] serverCommand(Durability durability) {
        List<String> command = new ArrayList<>(List.of("postgres"));
        durability.serverSettings().forEach((name, value) -> command.addAll(List.of("-c", name + "=" + value)));
        return command.toArray(String[]::new);
    }

    @Override
    public String kafkaBootstrapServers() {
        return kafka.getBootstrapServers().replaceFirst("^PLAINTEXT://", "");
    }

    @Override
    public String jdbcUrl() {
        return postgres.getJdbcUrl();
    }

    @Override
    public String dbUser() {
        return USER;
    }

    @Override
    public String dbPassword() {
        return PASSWORD;
    }

    @Override
    public synchronized void stopKafka() {
        if (!kafkaPaused) {
            DockerClientFactory.instance().client().pauseContainerCmd(kafka.getContainerId()).exec();
            kafkaPaused = true;
        }
    }

    @Override
    public synchronized void startKafka() {
        if (kafkaPaused) {
            DockerClientFactory.instance().client().unpauseContainerCmd(kafka.getContainerId()).exec();
            kafkaPaused = false;
        }
    }

    @Override
    public String newDatabase(String name) {
        admin.recreateDatabase(name, USER, Set.of(DATABASE));
        return "jdbc:postgresql://" + postgres.getHost() + ":"
                + postgres.getMappedPort(PostgreSQLContainer.POSTGRESQL_PORT) + "/" + name;
    }

    @Override
    public String kind() {
        return "containers";
    }

    @Override
    public synchronized void close() {
        try {
            startKafka();
        } finally {
            kafka.stop();
            postgres.stop();
        }
    }
}
