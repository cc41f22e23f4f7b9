package io.flowrecon.devstack;

import io.flowrecon.devstack.postgres.Durability;

import java.util.Locale;
import java.util.Optional;

/**
 * A real Kafka broker and a real PostgreSQL server for integration tests: embedded in this JVM
 * ({@link EmbeddedInfrastructure}) or in Docker containers ({@link ContainerInfrastructure}).
 *
 * <p>{@link #start(Durability)} picks one: the system property {@value #SELECT_PROPERTY} or the environment variable
 * {@value #SELECT_ENV} (or {@value #SELECT_PROPERTY}) set to {@code embedded} or {@code containers} decides; otherwise containers when a
 * Docker daemon answers, embedded when not.
 */
public interface Infrastructure extends AutoCloseable {

    String SELECT_PROPERTY = "flowrecon.infra";
    String SELECT_ENV = "FLOWRECON_INFRA";

    /** {@code host:port} of the broker, stable across {@link #stopKafka()} / {@link #startKafka()}. */
    String kafkaBootstrapServers();

    /** JDBC URL of the main database {@code flowrecon}. */
    String jdbcUrl();

    String dbUser();

    String dbPassword();

    /** Takes the broker away (clients see it down); keeps its data for {@link #startKafka()}. */
    void stopKafka();

    /** Brings the broker back on the same address with the same topics and offsets. */
    void startKafka();

    /**
     * A fresh, empty database on the same server, owned by {@link #dbUser()}; an existing one of that name is
     * dropped first.
     *
     * @param name a lower-case SQL identifier
     * @return its JDBC URL
     */
    String newDatabase(String name);

    /** Which implementation this is: {@code embedded} or {@code containers}. */
    String kind();

    @Override
    void close();

    /**
     * Starts the infrastructure chosen as described on this interface.
     *
     * @param durability what a crash may cost the database; its data is temporary either way
     */
    static Infrastructure start(Durability durability) {
        Optional<String> requested = Optional.ofNullable(System.getProperty(SELECT_PROPERTY))
                .or(() -> Optional.ofNullable(System.getenv(SELECT_ENV)))
                .or(() -> Optional.ofNullable(System.getenv(SELECT_PROPERTY)))
                .map(s -> s.trim().toLowerCase(Locale.ROOT))
                .filter(s -> !s.isEmpty());
        String kind = requested.orElseGet(() -> DockerProbe.dockerAnswers() ? "containers" : "embedded");
        return switch (kind) {
            case "embedded" -> EmbeddedInfrastructure.start(durability);
            case "containers" -> ContainerInfrastructure.start(durability);
            default -> throw new IllegalArgumentException(SELECT_PROPERTY + " (or " + SELECT_ENV + ") must be "
                    + "'embedded' or 'containers', was '" + kind + "'");
        };
    }
}
