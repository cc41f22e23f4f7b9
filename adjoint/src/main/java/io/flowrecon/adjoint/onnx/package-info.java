/**
 * The ONNX graph model (our proto subset, package {@code io.flowrecon.adjoint.onnx.proto}, field numbers as in
 * the ONNX spec), a small builder with static shape inference, tensors and file I/O.
 *
 * <h2>Usage</h2>
 * <pre>{@code
 * GraphBuilder g = new GraphBuilder("generator");
 * Ops ops = new Ops(g);
 * String z = g.inputFloat("z", batch, 64);                       // static shapes only
 * String w = g.initializer("w1", weights, 64, 128);              // float[] + dims, row-major
 * String h = ops.relu(ops.matMul(z, w));
 * String x = ops.reshape(h, batch, 2, 8, 8);
 * x = ops.conv(x, g.initializer("k", kernel, 3, 2, 3, 3), null,
 *         new long[] {1, 1}, new long[] {1, 1, 1, 1}, new long[] {1, 1}, 1);
 * x = g.node("Sigmoid", List.of(x), "image");                     // any op, typed attributes via Attrs
 * g.output(x);
 * Shape s = g.shape(x);                                           // [batch, 3, 8, 8], known for every value
 * byte[] model = g.toBytes();                                     // IR 8, opset 17 ModelProto
 *
 * GraphBuilder prior = GraphBuilder.from(OnnxFiles.read(path));  // import a model written elsewhere
 * GraphBuilder fixed = GraphBuilder.from(model, Map.of("z", new long[] {4, 64})); // pin a symbolic batch
 * }</pre>
 *
 * <p>Names: {@link io.flowrecon.adjoint.onnx.GraphBuilder#node} names outputs after a hint and makes them unique
 * ({@code freshName}); inputs and initialisers keep the name you give (a clash is an error). Constants:
 * {@code g.constantInts(...)}, {@code g.constantFloats(...)}, {@code g.scalar(...)} emit Constant nodes whose
 * values inference can read ({@code g.constant(name)}); initialisers are readable the same way. Shape inference
 * ({@link io.flowrecon.adjoint.onnx.ShapeInference}) walks the shape rules of the operator table
 * ({@code io.flowrecon.adjoint.OperatorTable}, the list in adjoint/README.md); any other op is refused with the
 * node's name.
 */
package io.flowrecon.adjoint.onnx;
