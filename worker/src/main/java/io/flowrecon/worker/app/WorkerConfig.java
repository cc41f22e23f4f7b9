package io.flowrecon.worker.app;

import io.flowrecon.shared.messaging.Topics;
import io.flowrecon.worker.runtime.ExecutionProviderKind;
import io.flowrecon.worker.runtime.RuntimeConfig;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * The one configuration of a worker process, the service and the engine commands alike: read once from the
 * FLOWRECON_* environment variables ({@link #fromEnvironment}; worker/README.md lists them), one set of defaults,
 * each variable checked with a message naming it. Tests build it directly, e.g. with their own topic.
 *
 * @param dbUrl                 JDBC URL of PostgreSQL; null where only the engine commands run
 * @param kafkaBootstrapServers Kafka's bootstrap servers; null where only the engine commands run
 * @param workerId              names this worker in jobs.worker_id and results.worker_id
 * @param httpPort              health and metrics port; 0 picks a free one
 * @param modelsDir             folder of model bundles, or null when only built-in models are served
 * @param topic                 the job topic (tests use their own)
 * @param shareGroup            the share group all workers join
 * @param pollTimeout           how long one poll waits for a record when idle
 * @param runtime               how ONNX Runtime sessions are made (provider, threads, CUDA settings)
 * @param sweepTopic            the topic of experiment jobs, read only when no interactive job waits
 * @param sweepBatch            how many sweep records one turn takes and hands the job runner together (jobs of the
 *                              same model and problem shape are then solved as one batch); interactive jobs run alone
 */
public record WorkerConfig(String dbUrl, String dbUser, String dbPassword, String kafkaBootstrapServers,
                           String workerId, int httpPort, Path modelsDir, String topic, String shareGroup,
                           Duration pollTimeout, RuntimeConfig runtime, String sweepTopic, int sweepBatch) {

    public static final int DEFAULT_HTTP_PORT = 8081;
    /**
     * One native thread per solve: several workers (and the API) share a host's cores, and the tests and the local
     * stack run several workers in one JVM. 0 lets ONNX Runtime take one per core; commands take --threads.
     */
    public static final int DEFAULT_INTRA_OP_THREADS = 1;
    public static final int DEFAULT_SESSION_CACHE_ENTRIES = 4;
    /**
     * One sweep record per turn by default. A job's answer is the same to the bit alone and batched, but on a 2-core
     * CPU B = 4 gave only 1.19-1.23x the jobs per CPU minute of B = 1 with one intra-op thread (1.5x with two; B = 8
     * no more; docs/BENCHMARKS.md), and an interactive job waits for the turn in progress: one sweep job at B = 1,
     * a whole batch at B = 4. Set FLOWRECON_WORKER_BATCH (4 on CPU hosts that mostly run sweeps, more on a GPU)
     * where sweep throughput matters more than that wait.
     */
    public static final int DEFAULT_SWEEP_BATCH = 1;
    /** The most records one turn takes: the batch's record locks are renewed together, a batch is one solve. */
    public static final int MAX_SWEEP_BATCH = 64;

    public WorkerConfig {
        require(workerId, "FLOWRECON_WORKER_ID");
        require(topic, "FLOWRECON_JOBS_TOPIC");
        require(shareGroup, "FLOWRECON_WORKER_SHARE_GROUP");
        if (httpPort < 0 || httpPort > 65_535) {
            throw new IllegalArgumentException("FLOWRECON_WORKER_HTTP_PORT must be 0..65535 (0 = any free port), got " + httpPort);
        }
        if (runtime == null) {
            throw new IllegalArgumentException("runtime settings are required");
        }
        require(sweepTopic, "FLOWRECON_SWEEP_JOBS_TOPIC");
        if (sweepTopic.equals(topic)) {
            throw new IllegalArgumentException("FLOWRECON_SWEEP_JOBS_TOPIC must differ from FLOWRECON_JOBS_TOPIC ("
                    + topic + "): sweep jobs must not queue in front of interactive ones");
        }
        if (sweepBatch < 1 || sweepBatch > MAX_SWEEP_BATCH) {
            throw new IllegalArgumentException("FLOWRECON_WORKER_BATCH must be 1.." + MAX_SWEEP_BATCH + ", got " + sweepBatch);
        }
    }

    /** A configuration whose sweep topic is the job topic's ({@link Topics#sweepOf}). */
    public WorkerConfig(String dbUrl, String dbUser, String dbPassword, String kafkaBootstrapServers,
                        String workerId, int httpPort, Path modelsDir, String topic, String shareGroup,
                        Duration pollTimeout, RuntimeConfig runtime) {
        this(dbUrl, dbUser, dbPassword, kafkaBootstrapServers, workerId, httpPort, modelsDir, topic, shareGroup,
                pollTimeout, runtime, topic == null ? null : Topics.sweepOf(topic), DEFAULT_SWEEP_BATCH);
    }

    /** Reads the FLOWRECON_* variables; unset optional ones take their defaults. */
    public static WorkerConfig fromEnvironment(Map<String, String> env) {
        String workerId = text(env, "FLOWRECON_WORKER_ID", null);
        String modelsDir = text(env, "FLOWRECON_MODELS_DIR", null);
        String topic = text(env, "FLOWRECON_JOBS_TOPIC", Topics.JOBS);
        return new WorkerConfig(
                text(env, "FLOWRECON_DB_URL", null),
                text(env, "FLOWRECON_DB_USER", "flowrecon"),
                env.getOrDefault("FLOWRECON_DB_PASSWORD", ""),
                text(env, "FLOWRECON_KAFKA_BOOTSTRAP_SERVERS", null),
                workerId == null ? defaultWorkerId() : workerId,
                integer(env, "FLOWRECON_WORKER_HTTP_PORT", DEFAULT_HTTP_PORT),
                modelsDir == null ? null : Path.of(modelsDir),
                topic,
                text(env, "FLOWRECON_WORKER_SHARE_GROUP", Topics.WORKER_SHARE_GROUP),
                Duration.ofSeconds(1),
                runtime(env),
                text(env, "FLOWRECON_SWEEP_JOBS_TOPIC", Topics.sweepOf(topic)),
                integer(env, "FLOWRECON_WORKER_BATCH", DEFAULT_SWEEP_BATCH));
    }

    /**
     * The ONNX Runtime part: FLOWRECON_EXECUTION_PROVIDER, FLOWRECON_INTRA_OP_THREADS, FLOWRECON_ORT_ALLOW_SPINNING,
     * FLOWRECON_CUDA_DEVICE_ID, FLOWRECON_CUDNN_CONV_ALGO_SEARCH (HEURISTIC by default: EXHAUSTIVE benchmarks every
     * algorithm per new shape, which costs seconds per session) and FLOWRECON_SESSION_CACHE_ENTRIES.
     */
    private static RuntimeConfig runtime(Map<String, String> env) {
        ExecutionProviderKind provider = ExecutionProviderKind.fromWireName(text(env, "FLOWRECON_EXECUTION_PROVIDER", "cpu"));
        String spinning = text(env, "FLOWRECON_ORT_ALLOW_SPINNING", "false").toLowerCase(Locale.ROOT);
        if (!spinning.equals("true") && !spinning.equals("false")) {
            throw new IllegalArgumentException("FLOWRECON_ORT_ALLOW_SPINNING must be true or false, got '" + spinning + "'");
        }
        String search = text(env, "FLOWRECON_CUDNN_CONV_ALGO_SEARCH", "HEURISTIC").toUpperCase(Locale.ROOT);
        RuntimeConfig.CudnnConvSearch convSearch;
        try {
            convSearch = RuntimeConfig.CudnnConvSearch.valueOf(search);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("FLOWRECON_CUDNN_CONV_ALGO_SEARCH must be one of EXHAUSTIVE, HEURISTIC, DEFAULT; got '" + search + "'");
        }
        return new RuntimeConfig(provider, integer(env, "FLOWRECON_INTRA_OP_THREADS", DEFAULT_INTRA_OP_THREADS), 1,
                Boolean.parseBoolean(spinning), integer(env, "FLOWRECON_CUDA_DEVICE_ID", 0), convSearch,
                integer(env, "FLOWRECON_SESSION_CACHE_ENTRIES", DEFAULT_SESSION_CACHE_ENTRIES));
    }

    /** What the service needs beyond the engine: the database and the broker. Throws naming the missing variable. */
    public WorkerConfig requireService() {
        require(dbUrl, "FLOWRECON_DB_URL");
        require(kafkaBootstrapServers, "FLOWRECON_KAFKA_BOOTSTRAP_SERVERS");
        return this;
    }

    /** The same configuration under another worker id (several workers in one JVM). */
    public WorkerConfig withWorkerId(String id) {
        return new WorkerConfig(dbUrl, dbUser, dbPassword, kafkaBootstrapServers, id, httpPort, modelsDir, topic,
                shareGroup, pollTimeout, runtime, sweepTopic, sweepBatch);
    }

    /** The same configuration reading another topic and its sweep topic (tests keep their records apart). */
    public WorkerConfig withTopic(String otherTopic) {
        return new WorkerConfig(dbUrl, dbUser, dbPassword, kafkaBootstrapServers, workerId, httpPort, modelsDir,
                otherTopic, shareGroup, pollTimeout, runtime, Topics.sweepOf(otherTopic), sweepBatch);
    }

    /** The same configuration taking up to {@code batch} sweep records per turn. */
    public WorkerConfig withSweepBatch(int batch) {
        return new WorkerConfig(dbUrl, dbUser, dbPassword, kafkaBootstrapServers, workerId, httpPort, modelsDir, topic,
                shareGroup, pollTimeout, runtime, sweepTopic, batch);
    }

    public WorkerConfig withHttpPort(int port) {
        return new WorkerConfig(dbUrl, dbUser, dbPassword, kafkaBootstrapServers, workerId, port, modelsDir, topic,
                shareGroup, pollTimeout, runtime, sweepTopic, sweepBatch);
    }

    /** The same configuration with another number of ONNX Runtime intra-op threads (a command's --threads). */
    public WorkerConfig withIntraOpThreads(int threads) {
        RuntimeConfig r = runtime;
        return new WorkerConfig(dbUrl, dbUser, dbPassword, kafkaBootstrapServers, workerId, httpPort, modelsDir, topic,
                shareGroup, pollTimeout, new RuntimeConfig(r.provider(), threads, r.interOpThreads(), r.allowSpinning(),
                r.cudaDeviceId(), r.cudnnConvSearch(), r.sessionCacheEntries()), sweepTopic, sweepBatch);
    }

    private static void require(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " is required and must not be blank");
        }
    }

    /** The trimmed value, or the fallback when unset or blank. */
    private static String text(Map<String, String> env, String name, String fallback) {
        String value = env.get(name);
        return value == null || value.isBlank() ? fallback : value.trim();
    }

    private static int integer(Map<String, String> env, String name, int fallback) {
        String value = text(env, name, null);
        if (value == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(value);
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
