package io.flowrecon.worker.engine;

import io.flowrecon.adjoint.onnx.Attrs;
import io.flowrecon.adjoint.onnx.GraphBuilder;
import io.flowrecon.adjoint.onnx.Shape;
import io.flowrecon.adjoint.onnx.proto.ModelProto;
import io.flowrecon.adjoint.onnx.proto.NodeProto;

/**
 * Floating-point work of the dense operators of a graph (Conv, ConvTranspose, MatMul, Gemm), counting a
 * multiply-add as 2 flops; element-wise work is left out, as is usual when quoting GFLOP/s.
 */
public final class GraphFlops {

    private GraphFlops() {
    }

    public static long count(ModelProto model) {
        GraphBuilder g = GraphBuilder.from(model);
        long flops = 0;
        for (NodeProto node : g.nodes()) {
            flops += switch (node.getOpType()) {
                case "Conv" -> {
                    Shape out = g.shape(node.getOutput(0));
                    Shape w = g.shape(node.getInput(1));
                    yield 2 * out.size() * w.size() / w.dim(0); // each output: C/group * k^2 multiply-adds
                }
                case "ConvTranspose" -> {
                    Shape x = g.shape(node.getInput(0));
                    Shape w = g.shape(node.getInput(1));
                    yield 2 * x.size() * w.size() / w.dim(0); // each input scatters into Cout/group * k^2 outputs
                }
                case "MatMul" -> {
                    Shape a = g.shape(node.getInput(0));
                    Shape out = g.shape(node.getOutput(0));
                    yield 2 * out.size() * a.dim(a.rank() - 1);
                }
                case "Gemm" -> {
                    Shape a = g.shape(node.getInput(0));
                    Shape out = g.shape(node.getOutput(0));
                    long k = Attrs.getInt(node, "transA", 0) == 1 ? a.dim(0) : a.dim(1);
                    yield 2 * out.size() * k;
                }
                default -> 0L;
            };
        }
        return flops;
    }
}
