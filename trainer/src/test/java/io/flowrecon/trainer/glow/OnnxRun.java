package io.flowrecon.trainer.glow;

import io.flowrecon.adjoint.onnx.proto.ModelProto;
import io.flowrecon.trainer.bundle.OnnxGraph;
import java.util.Map;

/** Runs a written ONNX graph in ONNX Runtime (one intra-op thread) on one float input; outputs flattened. */
final class OnnxRun {
    private OnnxRun() {
    }

    static Map<String, float[]> run(ModelProto model, String input, float[] values, long... shape) throws Exception {
        try (OnnxGraph graph = new OnnxGraph(model.toByteArray(), 1)) {
            return graph.run(input, values, shape);
        }
    }
}
