/**
 * Prior builders: the architectures, weights and ONNX graphs of the generative priors, and their bundles.
 *
 * <p>Weights are plain data ({@link io.flowrecon.shared.prior.GlowWeights}, {@link io.flowrecon.shared.prior.DcganWeights}:
 * records of float arrays with documented row-major layouts) kept apart from the code that writes graphs
 * ({@link io.flowrecon.shared.prior.GlowGraphs}, {@link io.flowrecon.shared.prior.DcganGraphs}), so a trainer fills
 * the same records with trained values. {@code random(arch, seed)} gives untrained but architecturally real
 * weights for tests and demos.
 *
 * <pre>{@code
 * GlowArchitecture arch = new GlowArchitecture(1, 28, 2, 2, 16);            // C, S, L, K, H
 * GlowWeights w = GlowWeights.random(arch, 7);
 * ModelProto g = GlowGraphs.generator(w, BatchSize.symbolic());           // z [batch, 784] -> x [batch, 1, 28, 28]
 * ModelProto e = GlowGraphs.encoder(w, BatchSize.of(4));                  // x [4, 1, 28, 28] -> z [4, 784], logdet [4]
 * ModelBundle b = PriorBundles.writeGlow(dir, w, PriorCardInfo.randomInit("mnist28-glow", 7, Instant.now()));
 * }</pre>
 *
 * <p>Glow's latent order: z = [eps_0, ..., eps_{L-1}], eps_l the level-l latent flattened C x H x W, level 0
 * the finest (split off first), eps_{L-1} the last level's output. Squeeze order: channel c*4 + dy*2 + dx.
 */
package io.flowrecon.shared.prior;
