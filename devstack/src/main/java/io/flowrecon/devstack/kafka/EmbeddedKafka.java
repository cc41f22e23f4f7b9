package io.flowrecon.devstack.kafka;

import io.flowrecon.devstack.net.Ports;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.apache.kafka.server.common.ShareVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A single-node Apache Kafka running inside this JVM: KRaft combined mode (one process is both broker and
 * controller), the storage formatted with Kafka's own {@link Formatter}, exactly as {@code kafka-storage.sh
 * format} would. Share groups (KIP-932, production-ready since Kafka 4.2) are switched on at format time with
 * the {@code share.version} feature, so {@code KafkaShareConsumer}s work without further setup.
 *
 * <p>{@link #stop()} and {@link #start()} keep the port and the data, so tests can take the broker away and
 * bring it back. Not started by the constructor.
 */
public final class EmbeddedKafka implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);
    private static final int NODE_ID = 1;
    private static final String BROKER_LISTENER = "PLAINTEXT";
    private static final String CONTROLLER_LISTENER = "CONTROLLER";

    private final int port;
    private final int controllerPort;
    private final Path dataDirectory;
    private final boolean temporaryData;
    private KafkaRaftServer server;
    private boolean closed;

    /**
     * @param port          the client port on localhost; 0 picks a free one now and keeps it for restarts
     * @param dataDirectory where the log and metadata live (formatted on first start, reused after); null means
     *                      a temporary directory that {@link #close()} deletes
     */
    public EmbeddedKafka(int port, Path dataDirectory) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0 (ephemeral) or 1..65535, was " + port);
        }
        this.port = port == 0 ? Ports.freePort() : port;
        this.controllerPort = Ports.freePort();
        try {
            this.temporaryData = dataDirectory == null;
            this.dataDirectory = temporaryData ? Files.createTempDirectory("flowrecon-kafka") : dataDirectory;
            Files.createDirectories(this.dataDirectory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the Kafka data directory", e);
        }
    }

    /** A started broker on an ephemeral port with temporary data. */
    public static EmbeddedKafka startEphemeral() {
        EmbeddedKafka kafka = new EmbeddedKafka(0, null);
        kafka.start();
        return kafka;
    }

    /** Starts the broker (formatting the storage the first time); a no-op when it already runs. */
    public synchronized EmbeddedKafka start() {
        if (closed) {
            throw new IllegalStateException("this EmbeddedKafka is closed");
        }
        if (server != null) {
            return this;
        }
        long startNanos = System.nanoTime();
        KafkaConfig config = new KafkaConfig(serverProperties(), false);
        formatIfNeeded(config);
        KafkaRaftServer starting = new KafkaRaftServer(config, Time.SYSTEM);
        try {
            starting.startup();
        } catch (RuntimeException e) {
            starting.shutdown();
            starting.awaitShutdown();
            throw new IllegalStateException("Kafka failed to start on localhost:" + port + ": " + e.getMessage(), e);
        }
        server = starting;
        LOG.info("Kafka {} started on {} in {} ms (data {})", kafkaVersion(), bootstrapServers(),
                (System.nanoTime() - startNanos) / 1_000_000, dataDirectory);
        return this;
    }

    /** Stops the broker, keeping port and data for a later {@link #start()}; a no-op when stopped. */
    public synchronized void stop() {
        if (server == null) {
            return;
        }
        KafkaRaftServer stopping = server;
        server = null;
        stopping.shutdown();
        stopping.awaitShutdown();
        LOG.info("Kafka on localhost:{} stopped", port);
    }

    public synchronized boolean isRunning() {
        return server != null;
    }

    /** {@code localhost:<port>}, valid whether or not the broker runs right now. */
    public String bootstrapServers() {
        return "localhost:" + port;
    }

    public int port() {
        return port;
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    /** Stops the broker; deletes the data when it was temporary. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        stop();
        closed = true;
        if (temporaryData) {
            try {
                Utils.delete(dataDirectory.toFile());
            } catch (IOException e) {
                LOG.warn("could not delete the Kafka data directory {}", dataDirectory, e);
            }
        }
    }

    private Path logDirectory() {
        return dataDirectory.resolve("kraft-combined-logs");
    }

    private Map<String, Object> serverProperties() {
        Map<String, Object> p = new HashMap<>();
        p.put("process.roles", "broker,controller");
        p.put("node.id", Integer.toString(NODE_ID));
        p.put("controller.quorum.voters", NODE_ID + "@localhost:" + controllerPort);
        p.put("listeners", BROKER_LISTENER + "://localhost:" + port + "," + CONTROLLER_LISTENER + "://localhost:"
                + controllerPort);
        p.put("advertised.listeners", BROKER_LISTENER + "://localhost:" + port);
        p.put("listener.security.protocol.map", BROKER_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        p.put("controller.listener.names", CONTROLLER_LISTENER);
        p.put("inter.broker.listener.name", BROKER_LISTENER);
        p.put("log.dirs", logDirectory().toString());
        p.put("metadata.log.dir", logDirectory().toString());
        // One node: every internal topic has one replica; one partition each keeps start-up short.
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("share.coordinator.state.topic.num.partitions", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        // The cleaner's dedupe buffer defaults to 128 MiB of heap; 2 MiB is ample for a dev broker.
        p.put("log.cleaner.dedupe.buffer.size", Integer.toString(2 * 1024 * 1024));
        // Two shared cores: few threads.
        p.put("num.network.threads", "1");
        p.put("num.io.threads", "2");
        p.put("background.threads", "2");
        p.put("num.recovery.threads.per.data.dir", "1");
        p.put("num.replica.fetchers", "1");
        return p;
    }

    private void formatIfNeeded(KafkaConfig config) {
        if (Files.exists(logDirectory().resolve("meta.properties"))) {
            return;
        }
        ByteArrayOutputStream formatterOutput = new ByteArrayOutputStream();
        MetadataVersion release = MetadataVersion.latestProduction();
        try (PrintStream print = new PrintStream(formatterOutput, true, StandardCharsets.UTF_8)) {
            new Formatter()
                    .setPrintStream(print)
                    .setNodeId(NODE_ID)
                    .setClusterId(Uuid.randomUuid().toString())
                    .setDirectories(List.of(logDirectory().toString()))
                    .setMetadataLogDirectory(logDirectory().toString())
                    .setControllerListenerName(CONTROLLER_LISTENER)
                    .setHasDynamicQuorum(false)
                    .setReleaseVersion(release)
                    // Explicit although 4.2+ defaults to it: the queue semantics of the job topic depend on it.
                    .setFeatureLevel(ShareVersion.FEATURE_NAME, ShareVersion.LATEST_PRODUCTION.featureLevel())
                    .run();
        } catch (Exception e) {
            throw new IllegalStateException("formatting the Kafka storage in " + logDirectory() + " failed: "
                    + e.getMessage() + " (" + formatterOutput.toString(StandardCharsets.UTF_8).trim() + ")", e);
        }
        LOG.debug("formatted Kafka storage: {}", formatterOutput.toString(StandardCharsets.UTF_8).trim());
    }

    private static String kafkaVersion() {
        return org.apache.kafka.common.utils.internals.AppInfoParser.getVersion();
    }
}
