/**
 * The operator families, one class each: for every op type it registers its output-shape rule and, where it
 * is differentiated, its vector-Jacobian product, side by side ({@link io.flowrecon.adjoint.OperatorTable}).
 * Linear operators (MatMul, Gemm, Conv, ConvTranspose, the shape ops, Resize) are differentiated by their
 * transpose; only the non-linear element-wise and normalisation ops need derivative formulas. To add an
 * operator, add one {@code define} (or {@code shapeOnly}) line to its family and list it in adjoint/README.md.
 */
package io.flowrecon.adjoint.ops;
