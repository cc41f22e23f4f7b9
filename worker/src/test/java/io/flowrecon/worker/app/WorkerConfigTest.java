package io.flowrecon.worker.app;

import io.flowrecon.shared.messaging.Topics;
import io.flowrecon.worker.runtime.ExecutionProviderKind;
import io.flowrecon.worker.runtime.RuntimeConfig;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WorkerConfigTest {

    private static Map<String, String> minimal() {
        Map<String, String> env = new HashMap<>();
        env.put("FLOWRECON_DB_URL", "jdbc:postgresql://db/flowrecon");
        env.put("FLOWRECON_KAFKA_BOOTSTRAP_SERVERS", "kafka:9092");
        return env;
    }

    @Test
    void unsetOptionalVariablesTakeTheirDefaults() {
        WorkerConfig config = WorkerConfig.fromEnvironment(minimal());

        assertEquals(WorkerConfig.DEFAULT_HTTP_PORT, config.httpPort());
        assertNull(config.modelsDir());
        assertEquals(Topics.JOBS, config.topic());
        assertEquals(Topics.SWEEP_JOBS, config.sweepTopic());
        assertEquals(Topics.WORKER_SHARE_GROUP, config.shareGroup());
        assertFalse(config.workerId().isBlank(), "a worker without FLOWRECON_WORKER_ID still gets an id");
        RuntimeConfig runtime = config.runtime();
        assertEquals(ExecutionProviderKind.CPU, runtime.provider());
        assertEquals(1, runtime.intraOpThreads(), "the service and the commands share one default");
        assertFalse(runtime.allowSpinning());
        assertEquals(0, runtime.cudaDeviceId());
        assertEquals(RuntimeConfig.CudnnConvSearch.HEURISTIC, runtime.cudnnConvSearch());
        assertEquals(WorkerConfig.DEFAULT_SESSION_CACHE_ENTRIES, runtime.sessionCacheEntries());
        assertEquals(WorkerConfig.DEFAULT_SWEEP_BATCH, config.sweepBatch());
    }

    @Test
    void theSweepTopicFollowsTheJobTopicAndMustDifferFromIt() {
        Map<String, String> env = minimal();
        env.put("FLOWRECON_JOBS_TOPIC", "jobs-test");
        assertEquals("jobs-test.sweep", WorkerConfig.fromEnvironment(env).sweepTopic());
        assertEquals("other.sweep", WorkerConfig.fromEnvironment(minimal()).withTopic("other").sweepTopic());

        env.put("FLOWRECON_SWEEP_JOBS_TOPIC", "jobs-test");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> WorkerConfig.fromEnvironment(env));
        assertTrue(e.getMessage().contains("FLOWRECON_SWEEP_JOBS_TOPIC must differ from FLOWRECON_JOBS_TOPIC"), e.getMessage());
    }

    @Test
    void everyVariableIsRead() {
        Map<String, String> env = minimal();
        env.put("FLOWRECON_DB_USER", "u");
        env.put("FLOWRECON_DB_PASSWORD", "p");
        env.put("FLOWRECON_WORKER_ID", "gpu-7");
        env.put("FLOWRECON_WORKER_HTTP_PORT", "0");
        env.put("FLOWRECON_MODELS_DIR", "/models");
        env.put("FLOWRECON_JOBS_TOPIC", "jobs-test");
        env.put("FLOWRECON_SWEEP_JOBS_TOPIC", "sweeps-test");
        env.put("FLOWRECON_WORKER_SHARE_GROUP", "group-test");
        env.put("FLOWRECON_EXECUTION_PROVIDER", "CUDA");
        env.put("FLOWRECON_INTRA_OP_THREADS", "4");
        env.put("FLOWRECON_ORT_ALLOW_SPINNING", "true");
        env.put("FLOWRECON_CUDA_DEVICE_ID", "1");
        env.put("FLOWRECON_CUDNN_CONV_ALGO_SEARCH", "exhaustive");
        env.put("FLOWRECON_SESSION_CACHE_ENTRIES", "9");
        env.put("FLOWRECON_WORKER_BATCH", "8");

        WorkerConfig config = WorkerConfig.fromEnvironment(env);

        assertEquals("jdbc:postgresql://db/flowrecon", config.dbUrl());
        assertEquals("kafka:9092", config.kafkaBootstrapServers());
        assertEquals("u", config.dbUser());
        assertEquals("p", config.dbPassword());
        assertEquals("gpu-7", config.workerId());
        assertEquals(0, config.httpPort());
        assertEquals(Path.of("/models"), config.modelsDir());
        assertEquals("jobs-test", config.topic());
        assertEquals("sweeps-test", config.sweepTopic());
        assertEquals("group-test", config.shareGroup());
        RuntimeConfig runtime = config.runtime();
        assertEquals(ExecutionProviderKind.CUDA, runtime.provider());
        assertEquals(4, runtime.intraOpThreads());
        assertTrue(runtime.allowSpinning());
        assertEquals(1, runtime.cudaDeviceId());
        assertEquals(RuntimeConfig.CudnnConvSearch.EXHAUSTIVE, runtime.cudnnConvSearch());
        assertEquals(9, runtime.sessionCacheEntries());
        assertEquals(8, config.sweepBatch());
        assertEquals(3, config.withSweepBatch(3).sweepBatch());
    }

    @Test
    void theEngineCommandsNeedNoDatabaseButTheServiceDoes() {
        WorkerConfig engineOnly = WorkerConfig.fromEnvironment(Map.of("FLOWRECON_INTRA_OP_THREADS", "0"));
        assertEquals(0, engineOnly.runtime().intraOpThreads(), "0 = one thread per core");
        assertEquals(3, engineOnly.withIntraOpThreads(3).runtime().intraOpThreads());

        Map<String, String> noKafka = minimal();
        noKafka.remove("FLOWRECON_KAFKA_BOOTSTRAP_SERVERS");
        assertMessage(() -> WorkerConfig.fromEnvironment(noKafka).requireService(),
                "FLOWRECON_KAFKA_BOOTSTRAP_SERVERS is required");
        Map<String, String> noDb = minimal();
        noDb.remove("FLOWRECON_DB_URL");
        assertMessage(() -> new Worker(WorkerConfig.fromEnvironment(noDb), null), "FLOWRECON_DB_URL is required");
    }

    @Test
    void errorsNameTheVariableAndWhatIsAllowed() {
        assertMessage(() -> WorkerConfig.fromEnvironment(with("FLOWRECON_WORKER_HTTP_PORT", "eighty")),
                "FLOWRECON_WORKER_HTTP_PORT must be an integer, got 'eighty'");
        assertMessage(() -> WorkerConfig.fromEnvironment(with("FLOWRECON_WORKER_HTTP_PORT", "70000")),
                "FLOWRECON_WORKER_HTTP_PORT must be 0..65535");
        assertMessage(() -> WorkerConfig.fromEnvironment(with("FLOWRECON_EXECUTION_PROVIDER", "tpu")),
                "FLOWRECON_EXECUTION_PROVIDER must be one of cpu, cuda");
        assertMessage(() -> WorkerConfig.fromEnvironment(with("FLOWRECON_INTRA_OP_THREADS", "many")),
                "FLOWRECON_INTRA_OP_THREADS must be an integer");
        assertMessage(() -> WorkerConfig.fromEnvironment(with("FLOWRECON_INTRA_OP_THREADS", "-1")),
                "FLOWRECON_INTRA_OP_THREADS must be >= 0");
        assertMessage(() -> WorkerConfig.fromEnvironment(with("FLOWRECON_ORT_ALLOW_SPINNING", "yes")),
                "FLOWRECON_ORT_ALLOW_SPINNING must be true or false");
        assertMessage(() -> WorkerConfig.fromEnvironment(with("FLOWRECON_CUDA_DEVICE_ID", "-2")),
                "FLOWRECON_CUDA_DEVICE_ID must be >= 0");
        assertMessage(() -> WorkerConfig.fromEnvironment(with("FLOWRECON_CUDNN_CONV_ALGO_SEARCH", "fast")),
                "FLOWRECON_CUDNN_CONV_ALGO_SEARCH must be one of EXHAUSTIVE, HEURISTIC, DEFAULT");
        assertMessage(() -> WorkerConfig.fromEnvironment(with("FLOWRECON_SESSION_CACHE_ENTRIES", "0")),
                "FLOWRECON_SESSION_CACHE_ENTRIES must be >= 1");
        assertMessage(() -> WorkerConfig.fromEnvironment(with("FLOWRECON_WORKER_BATCH", "0")),
                "FLOWRECON_WORKER_BATCH must be 1..64, got 0");
        assertMessage(() -> WorkerConfig.fromEnvironment(with("FLOWRECON_WORKER_BATCH", "65")),
                "FLOWRECON_WORKER_BATCH must be 1..64, got 65");
    }

    private static Map<String, String> with(String name, String value) {
        Map<String, String> env = minimal();
        env.put(name, value);
        return env;
    }

    private static void assertMessage(org.junit.jupiter.api.function.Executable action, String expected) {
        String message = assertThrows(IllegalArgumentException.class, action).getMessage();
        assertTrue(message.contains(expected), message);
    }
}
