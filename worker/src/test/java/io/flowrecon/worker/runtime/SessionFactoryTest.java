package io.flowrecon.worker.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import io.flowrecon.adjoint.onnx.GraphBuilder;
import java.nio.FloatBuffer;
import java.util.EnumSet;
import io.flowrecon.worker.app.WorkerConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SessionFactoryTest {

    @Test
    void cudaRequestedWithoutCudaInTheBuildIsAClearStartupError() {
        RuntimeConfig config = WorkerConfig.fromEnvironment(Map.of("FLOWRECON_EXECUTION_PROVIDER", "cuda")).runtime();
        ExecutionProviderUnavailableException e = assertThrows(ExecutionProviderUnavailableException.class,
                () -> new SessionFactory(OrtEnvironments.obtain(), config, EnumSet.of(OrtProvider.CPU)));
        assertTrue(e.getMessage().contains("FLOWRECON_EXECUTION_PROVIDER=cuda"), e.getMessage());
        assertTrue(e.getMessage().contains("CPU"), e.getMessage());
    }

    @Test
    void cpuSessionRunsAGraphWithTheConfiguredOptions() throws Exception {
        GraphBuilder g = new GraphBuilder("double");
        String x = g.inputFloat("x", 1, 3);
        String two = g.initializer("two", new float[] {2f}, 1);
        g.output(g.node("Mul", List.of(x, two), "y"));
        SessionFactory factory = SessionFactory.create(RuntimeConfig.cpu(1));
        OrtEnvironment env = factory.environment();
        try (OrtSession session = factory.open(g.toBytes());
             OnnxTensor input = OnnxTensor.createTensor(env, FloatBuffer.wrap(new float[] {1, 2, 3}), new long[] {1, 3});
             OrtSession.Result result = session.run(Map.of("x", input))) {
            float[][] y = (float[][]) result.get(0).getValue();
            assertArrayEquals(new float[] {2, 4, 6}, y[0]);
        }
        assertEquals("cpu", factory.providerDescription());
    }

    @Test
    void aBrokenGraphNamesTheProvider() {
        SessionFactory factory = SessionFactory.create(RuntimeConfig.cpu(1));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> factory.open(new byte[] {1, 2, 3}));
        assertTrue(e.getMessage().contains("on cpu"), e.getMessage());
    }
}
