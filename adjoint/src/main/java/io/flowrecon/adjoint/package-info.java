/**
 * Reverse-mode differentiation of ONNX graphs into ONNX graphs (hand-built adjoints; adjoint/README.md).
 *
 * <h2>Usage</h2>
 * <pre>{@code
 * // A whole model: forward outputs plus grad_<name> outputs.
 * ModelProto withGrads = AdjointBuilder.standard().differentiate(objective, "loss", List.of("z"));
 *
 * // Inside a graph being composed (objective = G, A, residual, loss): append the reverse pass, get names.
 * GraphBuilder g = GraphBuilder.from(generatorModel);
 * ... add A, residual, loss (shape [B]: one loss per image) ...
 * Map<String, String> grads = AdjointBuilder.standard().appendGradients(g, loss, List.of("z"));
 * g.output(grads.get("z"));
 * }</pre>
 *
 * <p>The output's adjoint is seeded with ones: the result is the gradient of the sum of the output's
 * elements, so a per-image loss [B] gives each image its own gradient. Only nodes on a path from a requested
 * value to the output are differentiated; an operator without a rule there is refused with an
 * {@link java.lang.UnsupportedOperationException} naming the operator and node, before any node is added
 * (a rule that refuses an attribute, e.g. a Pad mode, does so mid-walk: discard that builder).
 * Operators live in one table, {@link io.flowrecon.adjoint.OperatorTable}: per op type its shape rule and its
 * {@link io.flowrecon.adjoint.VjpRule}, registered together by the families of {@code io.flowrecon.adjoint.ops};
 * add one with {@code OperatorTable.standard().with("Op", shapeRule, vjpRule)}.
 */
package io.flowrecon.adjoint;
