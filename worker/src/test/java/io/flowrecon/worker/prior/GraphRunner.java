package io.flowrecon.worker.prior;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtSession;
import io.flowrecon.adjoint.onnx.proto.ModelProto;
import io.flowrecon.worker.runtime.RuntimeConfig;
import io.flowrecon.worker.runtime.SessionFactory;
import java.nio.FloatBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

/** Runs a one-input float graph on the CPU (one intra-op thread) and returns every output flattened. */
final class GraphRunner implements AutoCloseable {
    private final SessionFactory factory = SessionFactory.create(RuntimeConfig.cpu(1));
    private final OrtSession session;

    GraphRunner(ModelProto model) {
        this.session = factory.open(model.toByteArray());
    }

    Map<String, float[]> run(String input, float[] values, long... shape) throws Exception {
        Map<String, float[]> out = new LinkedHashMap<>();
        try (OnnxTensor tensor = OnnxTensor.createTensor(factory.environment(), FloatBuffer.wrap(values), shape);
             OrtSession.Result result = session.run(Map.of(input, tensor))) {
            for (Map.Entry<String, OnnxValue> e : result) {
                FloatBuffer buffer = ((OnnxTensor) e.getValue()).getFloatBuffer();
                float[] flat = new float[buffer.remaining()];
                buffer.get(flat);
                out.put(e.getKey(), flat);
            }
        }
        return out;
    }

    @Override
    public void close() throws Exception {
        session.close();
    }

    static float maxAbsDiff(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("lengths differ: " + a.length + " vs " + b.length);
        }
        float max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }
}
