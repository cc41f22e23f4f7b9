package io.flowrecon.worker.app;

import io.flowrecon.shared.messaging.Topics;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

/**
 * Everything a worker process needs, read from the environment (names shared by all
 * processes, see the ground rules). Tests build it directly, e.g. with their own topic.
 *
 * @param workerId          names this worker in jobs.worker_id and results.worker_id
 * @param httpPort          health and metrics port; 0 picks a free one
 * @param executionProvider cpu or cuda
 * @param intraOpThreads    native threads per solve (ONNX Runtime intra-op)
 * @param modelsDir         folder of model bundles, or null when only built-in models are served
 * @param topic             the job topic (tests use their own)
 * @param shareGroup        the share group all workers join
 * @param pollTimeout       how long one poll waits for a record when idle
 */
public record WorkerConfig(String dbUrl, String dbUser, String dbPassword, String kafkaBootstrapServers,
                           String workerId, int httpPort, String executionProvider, int intraOpThreads,
                           Path modelsDir, String topic, String shareGroup, Duration pollTimeout) {

    public static final int DEFAULT_HTTP_PORT = 8081;

    public WorkerConfig {
        require(dbUrl, "FLOWRECON_DB_URL");
        require(kafkaBootstrapServers, "FLOWRECON_KAFKA_BOOTSTRAP_SERVERS");
        require(workerId, "FLOWRECON_WORKER_ID");
        require(topic, "topic");
        require(shareGroup, "shareGroup");
        if (httpPort < 0 || httpPort > 65_535) {
            throw new IllegalArgumentException("FLOWRECON_WORKER_HTTP_PORT must be 0..65535 (0 = any free port), got " + httpPort);
        }
        if (!"cpu".equals(executionProvider) && !"cuda".equals(executionProvider)) {
            throw new IllegalArgumentException("FLOWRECON_EXECUTION_PROVIDER must be cpu or cuda, got '" + executionProvider + "'");
        }
        if (intraOpThreads < 1) {
            throw new IllegalArgumentException("FLOWRECON_INTRA_OP_THREADS must be >= 1, got " + intraOpThreads);
        }
    }

    /**
     * Reads the FLOWRECON_* variables; unset optional ones take their defaults. Besides the
     * shared names, FLOWRECON_JOBS_TOPIC and FLOWRECON_WORKER_SHARE_GROUP override the topic and
     * group (tests that run worker processes side by side on one broker use them).
     */
    public static WorkerConfig fromEnvironment(Map<String, String> env) {
        String workerId = env.get("FLOWRECON_WORKER_ID");
        if (workerId == null || workerId.isBlank()) {
            workerId = defaultWorkerId();
        }
        String modelsDir = env.get("FLOWRECON_MODELS_DIR");
        return new WorkerConfig(
                env.get("FLOWRECON_DB_URL"),
                env.getOrDefault("FLOWRECON_DB_USER", "flowrecon"),
                env.getOrDefault("FLOWRECON_DB_PASSWORD", ""),
                env.get("FLOWRECON_KAFKA_BOOTSTRAP_SERVERS"),
                workerId,
                intOf(env, "FLOWRECON_WORKER_HTTP_PORT", DEFAULT_HTTP_PORT),
                env.getOrDefault("FLOWRECON_EXECUTION_PROVIDER", "cpu"),
                intOf(env, "FLOWRECON_INTRA_OP_THREADS", 1),
                modelsDir == null || modelsDir.isBlank() ? null : Path.of(modelsDir),
                env.getOrDefault("FLOWRECON_JOBS_TOPIC", Topics.JOBS),
                env.getOrDefault("FLOWRECON_WORKER_SHARE_GROUP", Topics.WORKER_SHARE_GROUP),
                Duration.ofSeconds(1));
    }

    /** The same configuration under another worker id (several workers in one JVM). */
    public WorkerConfig withWorkerId(String id) {
        return new WorkerConfig(dbUrl, dbUser, dbPassword, kafkaBootstrapServers, id, httpPort, executionProvider,
                intraOpThreads, modelsDir, topic, shareGroup, pollTimeout);
    }

    /** The same configuration reading another topic (tests keep their records apart). */
    public WorkerConfig withTopic(String otherTopic) {
        return new WorkerConfig(dbUrl, dbUser, dbPassword, kafkaBootstrapServers, workerId, httpPort, executionProvider,
                intraOpThreads, modelsDir, otherTopic, shareGroup, pollTimeout);
    }

    public WorkerConfig withHttpPort(int port) {
        return new WorkerConfig(dbUrl, dbUser, dbPassword, kafkaBootstrapServers, workerId, port, executionProvider,
                intraOpThreads, modelsDir, topic, shareGroup, pollTimeout);
    }

    private static void require(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " is required and must not be blank");
        }
    }

    private static int intOf(Map<String, String> env, String name, int fallback) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be an integer, got '" + value + "'");
        }
    }

    private static String defaultWorkerId() {
        try {
            return InetAddress.getLocalHost().getHostName() + "-" + ProcessHandle.current().pid();
        } catch (Exception e) {
            return "worker-" + UUID.randomUUID().toString().substring(0, 8);
        }
    }
}
