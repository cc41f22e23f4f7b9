package io.flowrecon.trainer.dcgan;

import io.flowrecon.shared.prior.DcganArchitecture;
import io.flowrecon.shared.prior.DcganWeights;
import io.flowrecon.shared.prior.DcganWeights.BatchNorm;
import io.flowrecon.shared.prior.DcganWeights.ConvTranspose2d;
import io.flowrecon.shared.prior.DcganWeights.Dense;
import io.flowrecon.shared.prior.DcganWeights.UpBlock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.DeConv2DConfig;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A DCGAN (Radford, Metz, Chintala 2016) as two SameDiff graphs over the same arrays:
 * <ul>
 *   <li>{@link #generatorGraph()}: z -> G(z) with batch-statistics BatchNorm (training), the discriminator on
 *       G(z) and the generator's non-saturating loss -log D(G(z)); also G(z) with the running statistics
 *       (inference, {@link #IMAGE}, exactly what {@code DcganGraphs.generator} exports);</li>
 *   <li>{@link #discriminatorGraph()}: the discriminator's loss -log D(x) - log(1 - D(G(z))) on a real and a
 *       fake batch.</li>
 * </ul>
 * The generator matches {@link DcganArchitecture}: Gemm -> BN -> ReLU, (ConvTranspose(4, s2, p1) -> BN -> ReLU)
 * x (u-1), ConvTranspose -> Tanh, x = 0.5 (t + 1). The discriminator mirrors it: Conv(4, s2, p1) -> LeakyReLU
 * 0.2 (BN from the second layer on), then a dense logit. Kernels live in SameDiff's layouts ([kH, kW, out, in]
 * for deconv2d, [kH, kW, in, out] for conv2d) and are transposed on export.
 */
public final class DcganModel {
    public static final String LATENT = "z";
    public static final String REAL = "real";
    public static final String FAKE = "fake";
    /** Training-mode G(z) in [-1, 1] (tanh), the discriminator's fake input. */
    public static final String FAKE_TANH = "fakeTanh";
    /** Inference-mode G(z) in [0, 1], with running BatchNorm statistics. */
    public static final String IMAGE = "x";
    public static final String G_LOSS = "gLoss";
    public static final String D_LOSS = "dLoss";
    /** PyTorch's BatchNorm momentum: running = 0.9 running + 0.1 batch. */
    public static final double BN_MOMENTUM = 0.1;

    private final DcganArchitecture arch;
    private final SameDiff gsd = SameDiff.create();
    private final SameDiff dsd = SameDiff.create();
    private final List<String> generatorParams = new ArrayList<>();
    private final List<String> discriminatorParams = new ArrayList<>();
    /** BN name -> names of its batch mean and variance outputs in the generator graph. */
    private final Map<String, String[]> batchStats = new LinkedHashMap<>();
    private final List<String> norms = new ArrayList<>();
    /** BN name -> pixels per channel of its input (H x W). */
    private final Map<String, Integer> pixels = new LinkedHashMap<>();

    /** @param init generator weights (running statistics included); the discriminator is drawn from seed */
    public DcganModel(DcganWeights init, long discriminatorSeed) {
        this.arch = init.architecture();
        buildGenerator(init);
        Map<String, INDArray> d = discriminatorInit(discriminatorSeed);
        SDVariable dOnFake = discriminator(gsd, gsd.getVariable(FAKE_TANH), d);
        // non-saturating generator loss: softplus(-l) = -log sigmoid(l)
        gsd.nn().softplus(dOnFake.neg()).mean(G_LOSS);
        gsd.setLossVariables(G_LOSS);
        SDVariable real = dsd.placeHolder(REAL, DataType.FLOAT, -1, arch.channels(), arch.size(), arch.size());
        SDVariable fake = dsd.placeHolder(FAKE, DataType.FLOAT, -1, arch.channels(), arch.size(), arch.size());
        SDVariable lReal = discriminator(dsd, real.mul(2).sub(1), d);
        SDVariable lFake = discriminator(dsd, fake, d);
        dsd.nn().softplus(lReal.neg()).mean().add(D_LOSS, dsd.nn().softplus(lFake).mean());
        dsd.setLossVariables(D_LOSS);
        discriminatorParams.addAll(d.keySet());
    }

    public DcganArchitecture architecture() {
        return arch;
    }

    public SameDiff generatorGraph() {
        return gsd;
    }

    public SameDiff discriminatorGraph() {
        return dsd;
    }

    /** Live generator parameter arrays (BatchNorm running statistics excluded). */
    public Map<String, INDArray> generatorParameters() {
        return arrays(gsd, generatorParams);
    }

    /** Live discriminator parameter arrays of the discriminator graph. */
    public Map<String, INDArray> discriminatorParameters() {
        return arrays(dsd, discriminatorParams);
    }

    /** Live running statistics, keyed {@code <bn>.runningMean} / {@code <bn>.runningVar}. */
    public Map<String, INDArray> runningStatistics() {
        Map<String, INDArray> out = new LinkedHashMap<>();
        for (String bn : norms) {
            out.put(bn + ".runningMean", gsd.getVariable(bn + ".runningMean").getArr());
            out.put(bn + ".runningVar", gsd.getVariable(bn + ".runningVar").getArr());
        }
        return out;
    }

    /** Copies the discriminator's (updated) arrays into the generator graph's copy of the discriminator. */
    public void syncDiscriminator() {
        for (String name : discriminatorParams) {
            gsd.getVariable(name).getArr().assign(dsd.getVariable(name).getArr());
        }
    }

    /**
     * Folds a batch's statistics into the running ones, as PyTorch does: running = (1 - m) running + m batch,
     * with the unbiased batch variance (n / (n - 1)) where n = images x pixels per channel.
     */
    void updateRunningStatistics(Map<String, INDArray> outputs, int batchSize) {
        for (String bn : norms) {
            long n = (long) batchSize * pixels.get(bn);
            double unbias = n > 1 ? n / (n - 1.0) : 1;
            String[] names = batchStats.get(bn);
            INDArray mean = gsd.getVariable(bn + ".runningMean").getArr();
            INDArray var = gsd.getVariable(bn + ".runningVar").getArr();
            mean.muli(1 - BN_MOMENTUM).addi(outputs.get(names[0]).reshape(mean.shape()).mul(BN_MOMENTUM));
            var.muli(1 - BN_MOMENTUM).addi(outputs.get(names[1]).reshape(var.shape()).mul(BN_MOMENTUM * unbias));
        }
    }

    /** Names of the batch statistics outputs of the generator graph (mean and variance of every BN). */
    List<String> batchStatisticNames() {
        List<String> out = new ArrayList<>();
        batchStats.values().forEach(n -> out.addAll(List.of(n)));
        return out;
    }

    /** Inference-mode G(z) in [0, 1] for z [B, latent]. */
    public INDArray generate(INDArray z) {
        return gsd.output(Map.of(LATENT, z), IMAGE).get(IMAGE);
    }

    private void buildGenerator(DcganWeights w) {
        List<Integer> f = arch.featureChannels();
        int s0 = arch.startSize();
        SDVariable z = gsd.placeHolder(LATENT, DataType.FLOAT, -1, arch.latent());
        Dense p = w.projection();
        SDVariable h = z.mmul(gparam("g.project.w", p.weight(), p.inFeatures(), p.outFeatures()))
                .add(gparam("g.project.b", p.bias(), p.outFeatures()))
                .reshape(-1, f.get(0), s0, s0);
        pixels.put("g.project.bn", s0 * s0);
        SDVariable[] both = batchNorm(h, h, w.projectionNorm(), "g.project.bn");
        SDVariable train = gsd.nn().relu(both[0], 0);
        SDVariable infer = gsd.nn().relu(both[1], 0);
        for (int i = 0; i < w.blocks().size(); i++) {
            UpBlock block = w.blocks().get(i);
            SDVariable k = deconvKernel("g.block" + i + ".w", block.conv());
            int size = s0 << (i + 1);
            pixels.put("g.block" + i + ".bn", size * size);
            both = batchNorm(deconv(train, k, null), deconv(infer, k, null), block.norm(), "g.block" + i + ".bn");
            train = gsd.nn().relu(both[0], 0);
            infer = gsd.nn().relu(both[1], 0);
        }
        ConvTranspose2d out = w.output();
        SDVariable k = deconvKernel("g.output.w", out);
        SDVariable b = gparam("g.output.b", out.bias(), out.outChannels());
        gsd.nn().tanh(FAKE_TANH, deconv(train, k, b));
        gsd.nn().tanh(deconv(infer, k, b)).add(1.0).mul(IMAGE, 0.5);
    }

    /** (training output with batch statistics, inference output with running statistics). */
    private SDVariable[] batchNorm(SDVariable train, SDVariable infer, BatchNorm bn, String name) {
        int c = bn.channels();
        SDVariable gamma = gparam(name + ".scale", bn.scale(), 1, c, 1, 1);
        SDVariable beta = gparam(name + ".bias", bn.bias(), 1, c, 1, 1);
        SDVariable runningMean = gsd.var(name + ".runningMean", Nd4j.create(bn.mean().clone(), new long[] {1, c, 1, 1},
                'c'));
        SDVariable runningVar = gsd.var(name + ".runningVar", Nd4j.create(bn.variance().clone(),
                new long[] {1, c, 1, 1}, 'c'));
        norms.add(name);
        double eps = DcganWeights.BATCH_NORM_EPSILON;
        SDVariable mean = train.mean(true, 0, 2, 3);
        SDVariable centred = train.sub(mean);
        SDVariable var = centred.mul(centred).mean(true, 0, 2, 3);
        batchStats.put(name, new String[] {mean.name(), var.name()});
        SDVariable t = centred.mul(gsd.math().rsqrt(var.add(eps))).mul(gamma).add(beta);
        SDVariable i = infer.sub(runningMean).mul(gsd.math().rsqrt(runningVar.add(eps))).mul(gamma).add(beta);
        return new SDVariable[] {t, i};
    }

    private SDVariable deconv(SDVariable x, SDVariable kernel, SDVariable bias) {
        DeConv2DConfig config = DeConv2DConfig.builder().kH(4).kW(4).sH(2).sW(2).pH(1).pW(1).dH(1).dW(1)
                .isSameMode(false).dataFormat("NCHW").build();
        return bias == null ? gsd.cnn().deconv2d(x, kernel, config) : gsd.cnn().deconv2d(x, kernel, bias, config);
    }

    /** ONNX's [in, out, 4, 4] -> deconv2d's [4, 4, out, in]. */
    private SDVariable deconvKernel(String name, ConvTranspose2d c) {
        generatorParams.add(name);
        int k = ConvTranspose2d.KERNEL;
        return gsd.var(name, Nd4j.create(c.weight().clone(), new long[] {c.inChannels(), c.outChannels(), k, k}, 'c')
                .permute(2, 3, 1, 0).dup('c'));
    }

    private SDVariable gparam(String name, float[] values, long... shape) {
        generatorParams.add(name);
        return gsd.var(name, Nd4j.create(values.clone(), shape, 'c'));
    }

    /** Radford et al.'s init: conv and dense weights N(0, 0.02^2), BN gamma N(1, 0.02^2), biases 0. */
    private Map<String, INDArray> discriminatorInit(long seed) {
        Random random = new Random(seed);
        Map<String, INDArray> d = new LinkedHashMap<>();
        int in = arch.channels();
        int u = arch.upsamplings();
        for (int i = 0; i < u; i++) {
            int out = arch.features() << i;
            d.put("d.conv" + i + ".w", gaussian(random, 0, 0.02, 4, 4, in, out));
            d.put("d.conv" + i + ".b", Nd4j.zeros(DataType.FLOAT, out));
            if (i > 0) {
                d.put("d.conv" + i + ".bn.scale", gaussian(random, 1, 0.02, 1, out, 1, 1));
                d.put("d.conv" + i + ".bn.bias", Nd4j.zeros(DataType.FLOAT, 1, out, 1, 1));
            }
            in = out;
        }
        long flat = (long) in * arch.startSize() * arch.startSize();
        d.put("d.logit.w", gaussian(random, 0, 0.02, flat, 1));
        d.put("d.logit.b", Nd4j.zeros(DataType.FLOAT, 1));
        return d;
    }

    /** The discriminator's logit [B, 1] on images in [-1, 1], with batch-statistics BatchNorm. */
    private SDVariable discriminator(SameDiff sd, SDVariable x, Map<String, INDArray> d) {
        int u = arch.upsamplings();
        SDVariable h = x;
        for (int i = 0; i < u; i++) {
            String p = "d.conv" + i;
            Conv2DConfig config = Conv2DConfig.builder().kH(4).kW(4).sH(2).sW(2).pH(1).pW(1).dH(1).dW(1)
                    .dataFormat("NCHW").build();
            h = sd.cnn().conv2d(h, shared(sd, p + ".w", d), shared(sd, p + ".b", d), config);
            if (i > 0) {
                SDVariable mean = h.mean(true, 0, 2, 3);
                SDVariable centred = h.sub(mean);
                SDVariable var = centred.mul(centred).mean(true, 0, 2, 3);
                h = centred.mul(sd.math().rsqrt(var.add(DcganWeights.BATCH_NORM_EPSILON)))
                        .mul(shared(sd, p + ".bn.scale", d)).add(shared(sd, p + ".bn.bias", d));
            }
            h = sd.nn().leakyRelu(h, 0.2);
        }
        long flat = d.get("d.logit.w").size(0);
        return h.reshape(-1, flat).mmul(shared(sd, "d.logit.w", d)).add(shared(sd, "d.logit.b", d));
    }

    /** The variable {@code name} of {@code sd}, created from {@code d} on first use (each graph has its copy). */
    private static SDVariable shared(SameDiff sd, String name, Map<String, INDArray> d) {
        return sd.hasVariable(name) ? sd.getVariable(name) : sd.var(name, d.get(name).dup());
    }

    private static INDArray gaussian(Random random, double mean, double std, long... shape) {
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        float[] v = new float[Math.toIntExact(n)];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (mean + std * random.nextGaussian());
        }
        return Nd4j.create(v, shape, 'c');
    }

    private static Map<String, INDArray> arrays(SameDiff sd, List<String> names) {
        Map<String, INDArray> out = new LinkedHashMap<>();
        for (String n : names) {
            out.put(n, sd.getVariable(n).getArr());
        }
        return out;
    }

    /** The generator as {@link DcganWeights} (copies, running statistics as the BN mean and variance). */
    public DcganWeights weights() {
        List<Integer> f = arch.featureChannels();
        int s0 = arch.startSize();
        int n0 = f.get(0) * s0 * s0;
        Dense projection = new Dense(arch.latent(), n0, values("g.project.w"), values("g.project.b"));
        List<UpBlock> blocks = new ArrayList<>();
        for (int i = 0; i + 1 < f.size(); i++) {
            blocks.add(new UpBlock(new ConvTranspose2d(f.get(i), f.get(i + 1), onnxKernel("g.block" + i + ".w"), null),
                    norm("g.block" + i + ".bn")));
        }
        ConvTranspose2d output = new ConvTranspose2d(f.get(f.size() - 1), arch.channels(), onnxKernel("g.output.w"),
                values("g.output.b"));
        return new DcganWeights(arch, projection, norm("g.project.bn"), blocks, output);
    }

    private BatchNorm norm(String name) {
        return new BatchNorm(values(name + ".scale"), values(name + ".bias"), values(name + ".runningMean"),
                values(name + ".runningVar"));
    }

    /** deconv2d's [4, 4, out, in] -> ONNX's [in, out, 4, 4]. */
    private float[] onnxKernel(String name) {
        return gsd.getVariable(name).getArr().permute(3, 2, 0, 1).dup('c').data().asFloat();
    }

    private float[] values(String name) {
        return gsd.getVariable(name).getArr().dup('c').data().asFloat();
    }
}
