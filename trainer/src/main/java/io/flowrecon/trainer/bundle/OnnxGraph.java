package io.flowrecon.trainer.bundle;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** One ONNX file in an ONNX Runtime session (one intra-op thread, CPU), run on one float input. */
public final class OnnxGraph implements AutoCloseable {
    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final OrtSession session;

    public OnnxGraph(Path file, int intraOpThreads) throws OrtException {
        try (OrtSession.SessionOptions options = options(intraOpThreads)) {
            this.session = env.createSession(file.toString(), options);
        }
    }

    /** A graph held in memory (serialised ModelProto), e.g. one just built and not yet written. */
    public OnnxGraph(byte[] model, int intraOpThreads) throws OrtException {
        try (OrtSession.SessionOptions options = options(intraOpThreads)) {
            this.session = env.createSession(model, options);
        }
    }

    private static OrtSession.SessionOptions options(int intraOpThreads) throws OrtException {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.setIntraOpNumThreads(intraOpThreads);
        return options;
    }

    /** The outputs by name, each flattened in C order. */
    public Map<String, float[]> run(String input, float[] values, long... shape) throws OrtException {
        try (OnnxTensor tensor = OnnxTensor.createTensor(env, FloatBuffer.wrap(values), shape);
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

    @Override
    public void close() throws OrtException {
        session.close();
    }
}
