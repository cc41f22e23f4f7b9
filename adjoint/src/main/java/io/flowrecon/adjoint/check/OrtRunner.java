package io.flowrecon.adjoint.check;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.flowrecon.adjoint.onnx.proto.ModelProto;
import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

/**
 * Runs a float32 model in ONNX Runtime on the CPU, one thread (reproducible sums, and the checks are small):
 * the forward pass and its appended reverse pass in one session.
 */
public final class OrtRunner implements AutoCloseable {
    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final OrtSession session;

    public OrtRunner(ModelProto model) throws OrtException {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            options.setInterOpNumThreads(1);
            session = env.createSession(model.toByteArray(), options);
        }
    }

    /** Feeds float inputs (name -> values, with the given shapes) and returns the named outputs, flattened. */
    public Map<String, float[]> run(Map<String, float[]> inputs, Map<String, long[]> shapes, List<String> outputs)
            throws OrtException {
        Map<String, OnnxTensor> feeds = new HashMap<>();
        try {
            for (Map.Entry<String, float[]> e : inputs.entrySet()) {
                feeds.put(e.getKey(), OnnxTensor.createTensor(env, FloatBuffer.wrap(e.getValue()),
                        shapes.get(e.getKey())));
            }
            Map<String, float[]> out = new HashMap<>();
            try (OrtSession.Result r = session.run(feeds, new HashSet<>(outputs))) {
                for (String name : outputs) {
                    OnnxValue v = r.get(name).orElseThrow();
                    FloatBuffer buf = ((OnnxTensor) v).getFloatBuffer();
                    float[] values = new float[buf.remaining()];
                    buf.get(values);
                    out.put(name, values);
                }
            }
            return out;
        } finally {
            feeds.values().forEach(OnnxTensor::close);
        }
    }

    @Override
    public void close() throws OrtException {
        session.close();
    }
}
