/**
 * Batched first-order optimisers in plain Java: L-BFGS with the semantics of {@code torch.optim.LBFGS}
 * and Adam with the semantics of {@code torch.optim.Adam}.
 *
 * <p>Every image of a batch keeps its own optimiser state, and one {@link io.flowrecon.worker.optim.BatchObjective}
 * call evaluates all images at once (one ONNX Runtime {@code session.run} for the whole batch). Because the
 * images of a batch may need different numbers of evaluations (strong-Wolfe line search, early stops), the
 * per-image L-BFGS is written as a small state machine that asks for the next point to evaluate; the driver
 * gathers the requests of all images, evaluates them in one call and hands each image its result. An image
 * that asks for nothing is evaluated at its current point and the answer is ignored.
 *
 * <p>Storage is float32 (the ONNX graphs are float32, as torch's L-BFGS on float32 tensors); dot products and
 * scalars are accumulated in double.
 */
package io.flowrecon.worker.optim;
