package io.flowrecon.worker.app;

import io.flowrecon.shared.messaging.Topics;
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
        assertEquals("cpu", config.executionProvider());
        assertEquals(1, config.intraOpThreads());
        assertNull(config.modelsDir());
        assertEquals(Topics.JOBS, config.topic());
        assertEquals(Topics.WORKER_SHARE_GROUP, config.shareGroup());
        assertFalse(config.workerId().isBlank(), "a worker without FLOWRECON_WORKER_ID still gets an id");
    }

    @Test
    void everyVariableIsRead() {
        Map<String, String> env = minimal();
        env.put("FLOWRECON_DB_USER", "u");
        env.put("FLOWRECON_DB_PASSWORD", "p");
        env.put("FLOWRECON_WORKER_ID", "gpu-7");
        env.put("FLOWRECON_WORKER_HTTP_PORT", "0");
        env.put("FLOWRECON_EXECUTION_PROVIDER", "cuda");
        env.put("FLOWRECON_INTRA_OP_THREADS", "4");
        env.put("FLOWRECON_MODELS_DIR", "/models");

        WorkerConfig config = WorkerConfig.fromEnvironment(env);

        assertEquals("u", config.dbUser());
        assertEquals("p", config.dbPassword());
        assertEquals("gpu-7", config.workerId());
        assertEquals(0, config.httpPort());
        assertEquals("cuda", config.executionProvider());
        assertEquals(4, config.intraOpThreads());
        assertEquals(Path.of("/models"), config.modelsDir());
    }

    @Test
    void errorsNameTheVariableAndTheRule() {
        Map<String, String> noDb = minimal();
        noDb.remove("FLOWRECON_DB_URL");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> WorkerConfig.fromEnvironment(noDb))
                .getMessage().contains("FLOWRECON_DB_URL"));

        Map<String, String> badPort = minimal();
        badPort.put("FLOWRECON_WORKER_HTTP_PORT", "eighty");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> WorkerConfig.fromEnvironment(badPort))
                .getMessage().contains("FLOWRECON_WORKER_HTTP_PORT must be an integer"));

        Map<String, String> badProvider = minimal();
        badProvider.put("FLOWRECON_EXECUTION_PROVIDER", "tpu");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> WorkerConfig.fromEnvironment(badProvider))
                .getMessage().contains("cpu or cuda"));

        Map<String, String> badThreads = minimal();
        badThreads.put("FLOWRECON_INTRA_OP_THREADS", "0");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> WorkerConfig.fromEnvironment(badThreads))
                .getMessage().contains(">= 1"));
    }
}
