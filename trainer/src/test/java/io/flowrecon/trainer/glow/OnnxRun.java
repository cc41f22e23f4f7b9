package io.flowrecon.trainer.glow;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.flowrecon.shared.onnx.proto.ModelProto;
import java.nio.FloatBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

/** Runs a written ONNX graph in ONNX Runtime (one intra-op thread) on one float input; outputs flattened. */
final class OnnxRun {
    private OnnxRun() {
    }

    static Map<String, float[]> run(ModelProto model, String input, float[] values, long... shape) throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            try (OrtSession session = env.createSession(model.toByteArray(), options);
                 OnnxTensor tensor = OnnxTensor.createTensor(env, FloatBuffer.wrap(values), shape);
                 OrtSession.Result result = session.run(Map.of(input, tensor))) {
                Map<String, float[]> out = new LinkedHashMap<>();
                for (var e : result) {
                    FloatBuffer buffer = ((OnnxTensor) e.getValue()).getFloatBuffer();
                    float[] flat = new float[buffer.remaining()];
                    buffer.get(flat);
                    out.put(e.getKey(), flat);
                }
                return out;
            }
        }
    }
}
