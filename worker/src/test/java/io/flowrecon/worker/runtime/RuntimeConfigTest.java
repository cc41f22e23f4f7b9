package io.flowrecon.worker.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class RuntimeConfigTest {

    @Test
    void defaultsAreCpuWithoutSpinning() {
        RuntimeConfig config = RuntimeConfig.fromEnvironment(Map.of());
        assertEquals(ExecutionProviderKind.CPU, config.provider());
        assertEquals(0, config.intraOpThreads());
        assertFalse(config.allowSpinning());
        assertEquals(RuntimeConfig.CudnnConvSearch.HEURISTIC, config.cudnnConvSearch());
    }

    @Test
    void readsProviderThreadsAndCudaSettings() {
        RuntimeConfig config = RuntimeConfig.fromEnvironment(Map.of(
                "FLOWRECON_EXECUTION_PROVIDER", "CUDA", "FLOWRECON_INTRA_OP_THREADS", "3",
                "FLOWRECON_CUDA_DEVICE_ID", "1", "FLOWRECON_CUDNN_CONV_ALGO_SEARCH", "exhaustive"));
        assertEquals(ExecutionProviderKind.CUDA, config.provider());
        assertEquals(3, config.intraOpThreads());
        assertEquals(1, config.cudaDeviceId());
        assertEquals(RuntimeConfig.CudnnConvSearch.EXHAUSTIVE, config.cudnnConvSearch());
    }

    @Test
    void badValuesNameTheVariableAndWhatIsAllowed() {
        IllegalArgumentException provider = assertThrows(IllegalArgumentException.class,
                () -> RuntimeConfig.fromEnvironment(Map.of("FLOWRECON_EXECUTION_PROVIDER", "tpu")));
        assertTrue(provider.getMessage().contains("FLOWRECON_EXECUTION_PROVIDER must be one of cpu, cuda"), provider.getMessage());
        IllegalArgumentException threads = assertThrows(IllegalArgumentException.class,
                () -> RuntimeConfig.fromEnvironment(Map.of("FLOWRECON_INTRA_OP_THREADS", "many")));
        assertTrue(threads.getMessage().contains("FLOWRECON_INTRA_OP_THREADS"), threads.getMessage());
    }
}
