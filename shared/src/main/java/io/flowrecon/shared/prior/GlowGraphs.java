package io.flowrecon.shared.prior;

import io.flowrecon.adjoint.onnx.Attrs;
import io.flowrecon.adjoint.onnx.GraphBuilder;
import io.flowrecon.adjoint.onnx.Ops;
import io.flowrecon.adjoint.onnx.proto.ModelProto;
import io.flowrecon.shared.prior.GlowArchitecture.LevelShape;
import io.flowrecon.shared.prior.GlowWeights.FlowStep;
import io.flowrecon.shared.prior.GlowWeights.Level;
import io.flowrecon.shared.prior.GlowWeights.SplitPrior;
import io.flowrecon.shared.prior.GlowWeights.TopPrior;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a Glow's two ONNX graphs (opset 17, float32):
 * <ul>
 *   <li>the encoder G^-1 (the forward flow of Kingma &amp; Dhariwal 2018): {@code x} [B, C, S, S] in [0, 1] ->
 *       {@code z} [B, C*S*S] and {@code logdet} [B] = log|det dz/dx|, so that
 *       log p(x) = log N(z; 0, I) + logdet;</li>
 *   <li>the generator G (the reverse flow): {@code z} [B, C*S*S] -> {@code x} [B, C, S, S].</li>
 * </ul>
 * z is the concatenation of the standardised latents eps_0 .. eps_{L-1} (eps_0 split off at the finest level,
 * eps_{L-1} the last level's output), each flattened in C x H x W order; eps_l = (z_l - mean_l) / std_l with
 * (mean_l, std_l) from the level's {@link GlowWeights.LatentPrior}, so z is standard normal under the model.
 * The encoder shifts x by -0.5 first, the generator adds 0.5 last; nothing is clipped.
 */
public final class GlowGraphs {
    public static final String LATENT = "z";
    public static final String IMAGE = "x";
    public static final String LOGDET = "logdet";

    private GlowGraphs() {
    }

    /** G: z -> x, the flow run backwards with W^-1 in each 1x1 conv and divided couplings. */
    public static ModelProto generator(GlowWeights weights, BatchSize batch) {
        GlowArchitecture arch = weights.architecture();
        GraphBuilder g = new GraphBuilder("glow_generator");
        FlowLayers f = new FlowLayers(g);
        Ops ops = f.ops();
        List<LevelShape> shapes = arch.levelShapes();
        String z = g.inputFloat(LATENT, batch.buildSize(), arch.latentSize());
        List<String> eps = shapes.size() == 1 ? List.of(z)
                : ops.split(z, 1, shapes.stream().mapToLong(LevelShape::latentSize).toArray());
        String h = null;
        for (int l = shapes.size() - 1; l >= 0; l--) {
            LevelShape shape = shapes.get(l);
            Level level = weights.levels().get(l);
            String prefix = "l" + l;
            String epsImage = ops.reshape(eps.get(l), -1, shape.latentChannels(), shape.size(), shape.size());
            if (level.prior() instanceof TopPrior top) {
                h = ops.add(ops.mul(epsImage, f.channelParam(prefix + ".top.std", exp(top.logStd(), 1))),
                        f.channelParam(prefix + ".top.mean", top.mean()));
            } else if (level.prior() instanceof SplitPrior split) {
                String[] meanLogStd = f.splitPriorParams(h, split, prefix);
                String zl = ops.add(ops.mul(epsImage, ops.exp(meanLogStd[1])), meanLogStd[0]);
                h = ops.concat(1, h, zl);
            }
            for (int k = arch.stepsPerLevel() - 1; k >= 0; k--) {
                h = f.reverseStep(h, level.steps().get(k), shape, prefix + ".k" + k);
            }
            h = f.unsqueeze(h);
        }
        g.output(g.node("Add", List.of(h, ops.scalarLike(h, 0.5)), IMAGE));
        return named(g, batch, IMAGE);
    }

    /** G^-1: x -> (z, logdet), the forward flow. */
    public static ModelProto encoder(GlowWeights weights, BatchSize batch) {
        GlowArchitecture arch = weights.architecture();
        GraphBuilder g = new GraphBuilder("glow_encoder");
        FlowLayers f = new FlowLayers(g);
        Ops ops = f.ops();
        String x = g.inputFloat(IMAGE, batch.buildSize(), arch.channels(), arch.size(), arch.size());
        String h = ops.add(x, ops.scalarLike(x, -0.5));
        List<String> eps = new ArrayList<>();
        List<String> logdetTerms = new ArrayList<>();
        double logdetConstant = 0;
        for (LevelShape shape : arch.levelShapes()) {
            Level level = weights.levels().get(shape.level());
            String prefix = "l" + shape.level();
            double pixels = (double) shape.size() * shape.size();
            h = f.squeeze(h);
            for (int k = 0; k < arch.stepsPerLevel(); k++) {
                FlowStep step = level.steps().get(k);
                FlowLayers.Forward out = f.forwardStep(h, step, shape, prefix + ".k" + k);
                h = out.value();
                logdetTerms.add(out.logdetTerm());
                // actnorm and the 1x1 conv act on every pixel alike: H*W times their per-pixel log|det|
                logdetConstant += pixels * (sum(step.actNorm().logScale()) + step.invConv().logAbsDet());
            }
            String epsImage;
            if (level.prior() instanceof SplitPrior split) {
                List<String> halves = ops.split(h, 1, shape.keptChannels(), shape.latentChannels());
                h = halves.get(0);
                String[] meanLogStd = f.splitPriorParams(h, split, prefix);
                epsImage = ops.mul(ops.sub(halves.get(1), meanLogStd[0]), ops.exp(ops.neg(meanLogStd[1])));
                logdetTerms.add(ops.neg(f.sumPerImage(meanLogStd[1])));
            } else {
                TopPrior top = (TopPrior) level.prior();
                epsImage = ops.mul(ops.sub(h, f.channelParam(prefix + ".top.mean", top.mean())),
                        f.channelParam(prefix + ".top.invstd", exp(top.logStd(), -1)));
                logdetConstant -= pixels * sum(top.logStd());
            }
            eps.add(ops.reshape(epsImage, -1, shape.latentSize()));
        }
        g.output(eps.size() == 1 ? g.node("Identity", eps, LATENT) : g.node("Concat", eps, LATENT,
                Attrs.i("axis", 1)));
        String dataTerms = ops.sum(logdetTerms);
        g.output(g.node("Add", List.of(dataTerms, ops.scalarLike(dataTerms, logdetConstant)), LOGDET));
        return named(g, batch, LATENT, LOGDET);
    }

    private static ModelProto named(GraphBuilder g, BatchSize batch, String... outputs) {
        if (!g.outputNames().equals(List.of(outputs))) {
            throw new IllegalStateException("graph outputs " + g.outputNames() + " should be " + List.of(outputs));
        }
        return batch.apply(g.build());
    }

    static float[] exp(float[] values, double sign) {
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (float) Math.exp(sign * values[i]);
        }
        return out;
    }

    private static double sum(float[] values) {
        double s = 0;
        for (float v : values) {
            s += v;
        }
        return s;
    }
}
