/**
 * Checks you run on your own graph: {@link io.flowrecon.adjoint.check.AdjointCheck} (the reverse pass against
 * the forward pass in ONNX Runtime, by finite differences or the dot-product test),
 * {@link io.flowrecon.adjoint.check.OnnxChecker} (the ONNX project's checker), and
 * {@link io.flowrecon.adjoint.check.OrtRunner} to run a float32 model. ONNX Runtime is an optional dependency
 * of this module: add {@code com.microsoft.onnxruntime:onnxruntime} (or {@code onnxruntime_gpu}) to use them.
 */
package io.flowrecon.adjoint.check;
