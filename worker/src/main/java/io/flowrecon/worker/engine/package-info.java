/**
 * The numeric engine for latent priors (docs/ARCHITECTURE.md, "The numeric engine").
 *
 * <p>Per (prior, problem) one ONNX graph ({@link io.flowrecon.worker.engine.ObjectiveGraph}): inputs z [B, latent]
 * and the laid-out measurements; G(z); the operator as nodes with its data as initialisers
 * ({@link io.flowrecon.worker.engine.OperatorGraph}); the per-image loss [B]; the adjoint builder's dL/dz. One
 * {@code session.run} returns loss and gradient for the whole batch ({@link io.flowrecon.worker.engine.BoundObjective},
 * an {@link io.flowrecon.worker.optim.BatchObjective}). {@link io.flowrecon.worker.engine.ObjectiveEngine} caches
 * open sessions by model hash, problem shape and operator identity. The solvers that drive it live in
 * {@code io.flowrecon.worker.solve.latent}.
 *
 * <pre>{@code
 * ObjectiveEngine engine = new ObjectiveEngine(SessionFactory.create(WorkerConfig.fromEnvironment(env).runtime()),
 *         AdjointBuilder.standard());
 * try (SessionCache.Lease<ObjectiveSession> lease = engine.session(prior, OperatorGraph.of(operator, shape), batch, gamma);
 *      BoundObjective objective = lease.value().bind(measurements)) {
 *     objective.evaluate(latents, losses, gradients);                 // what the optimisers call
 * }
 * }</pre>
 *
 * <p>Generators must be batch-agnostic: the engine pins z to [B, latent], so a Reshape inside G must use -1
 * (or 0) for the batch axis rather than a fixed batch size.
 */
package io.flowrecon.worker.engine;
