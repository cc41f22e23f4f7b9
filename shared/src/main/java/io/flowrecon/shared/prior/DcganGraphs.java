package io.flowrecon.shared.prior;

import io.flowrecon.adjoint.onnx.Attrs;
import io.flowrecon.adjoint.onnx.GraphBuilder;
import io.flowrecon.adjoint.onnx.Ops;
import io.flowrecon.adjoint.onnx.proto.ModelProto;
import io.flowrecon.shared.prior.DcganWeights.BatchNorm;
import io.flowrecon.shared.prior.DcganWeights.ConvTranspose2d;
import io.flowrecon.shared.prior.DcganWeights.UpBlock;
import java.util.List;

/**
 * Writes a DCGAN generator (opset 17, float32): {@code z} [B, latent] -> Gemm -> Reshape [B, F_0, s0, s0] ->
 * BN -> ReLU -> (ConvTranspose -> BN -> ReLU) x (u-1) -> ConvTranspose -> Tanh -> {@code x} = 0.5 (t + 1) in
 * [0, 1] (Radford et al. 2016; the tanh output mapped to the [0, 1] images flowrecon uses).
 */
public final class DcganGraphs {
    public static final String LATENT = "z";
    public static final String IMAGE = "x";

    private DcganGraphs() {
    }

    public static ModelProto generator(DcganWeights weights, BatchSize batch) {
        DcganArchitecture arch = weights.architecture();
        GraphBuilder g = new GraphBuilder("dcgan_generator");
        Ops ops = new Ops(g);
        String z = g.inputFloat(LATENT, batch.buildSize(), arch.latent());
        DcganWeights.Dense p = weights.projection();
        String h = ops.gemm(z, g.initializer("project.w", p.weight().clone(), p.inFeatures(), p.outFeatures()),
                g.initializer("project.b", p.bias().clone(), p.outFeatures()), 1f, 1f, false, false);
        int s0 = arch.startSize();
        h = ops.reshape(h, -1, arch.featureChannels().get(0), s0, s0);
        h = ops.relu(batchNorm(g, h, weights.projectionNorm(), "project.bn"));
        for (int i = 0; i < weights.blocks().size(); i++) {
            UpBlock block = weights.blocks().get(i);
            h = convTranspose(ops, h, block.conv(), "block" + i);
            h = ops.relu(batchNorm(g, h, block.norm(), "block" + i + ".bn"));
        }
        String t = ops.tanh(convTranspose(ops, h, weights.output(), "output"));
        String x = g.node("Mul", List.of(ops.add(t, ops.scalarLike(t, 1.0)), ops.scalarLike(t, 0.5)), IMAGE);
        g.output(x);
        if (!x.equals(IMAGE)) {
            throw new IllegalStateException("generator output named " + x + ", not " + IMAGE);
        }
        return batch.apply(g.build());
    }

    private static String convTranspose(Ops ops, String x, ConvTranspose2d c, String name) {
        GraphBuilder g = ops.graph();
        int k = ConvTranspose2d.KERNEL;
        String w = g.initializer(name + ".w", c.weight().clone(), c.inChannels(), c.outChannels(), k, k);
        String b = c.bias() == null ? null : g.initializer(name + ".b", c.bias().clone(), c.outChannels());
        return ops.convTranspose(x, w, b, new long[] {2, 2}, new long[] {1, 1, 1, 1}, new long[] {1, 1}, 1,
                new long[] {0, 0});
    }

    private static String batchNorm(GraphBuilder g, String x, BatchNorm bn, String name) {
        int c = bn.channels();
        return g.node("BatchNormalization", List.of(x,
                g.initializer(name + ".scale", bn.scale().clone(), c),
                g.initializer(name + ".bias", bn.bias().clone(), c),
                g.initializer(name + ".mean", bn.mean().clone(), c),
                g.initializer(name + ".var", bn.variance().clone(), c)), "batchnorm",
                Attrs.f("epsilon", DcganWeights.BATCH_NORM_EPSILON));
    }
}
