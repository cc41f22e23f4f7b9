package io.flowrecon.adjoint.onnx;

import io.flowrecon.adjoint.onnx.proto.NodeProto;

/**
 * The output-shape rule of one operator (opset 17 semantics): the types of a node's outputs from its inputs'
 * types and, where an input must be known to fix a shape (Reshape targets, pads, axes), its constant value.
 */
@FunctionalInterface
public interface ShapeRule {
    /** Refuses with the node's name where the shape would depend on data that is not a constant. */
    ShapeInference.Result infer(NodeProto node, ShapeInference.Env env);
}
