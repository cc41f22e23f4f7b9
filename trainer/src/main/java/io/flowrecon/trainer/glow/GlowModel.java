package io.flowrecon.trainer.glow;

import io.flowrecon.shared.prior.Conv2d;
import io.flowrecon.shared.prior.GlowArchitecture;
import io.flowrecon.shared.prior.GlowArchitecture.LevelShape;
import io.flowrecon.shared.prior.GlowWeights;
import io.flowrecon.shared.prior.GlowWeights.ActNorm;
import io.flowrecon.shared.prior.GlowWeights.Coupling;
import io.flowrecon.shared.prior.GlowWeights.FlowStep;
import io.flowrecon.shared.prior.GlowWeights.Level;
import io.flowrecon.shared.prior.GlowWeights.SplitPrior;
import io.flowrecon.shared.prior.GlowWeights.TopPrior;
import io.flowrecon.shared.prior.InvConv1x1;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Glow's forward flow (the encoder G^-1, Kingma &amp; Dhariwal 2018) as a SameDiff graph, built to match
 * {@code io.flowrecon.shared.prior.GlowGraphs#encoder} operation for operation: input shift -0.5, squeeze with
 * channel c*4 + dy*2 + dx, [actnorm, LU 1x1 conv, affine coupling with s = sigmoid(h + 2)] x K, split with a
 * conv prior, a per-channel top prior, latents eps_0 .. eps_{L-1} concatenated in C x H x W order.
 *
 * <p>Trainable variables carry the {@link GlowWeights} values: actnorm and top prior [1, c, 1, 1], the 1x1 conv
 * as raw L, U [c, c] and log|s| [1, c], conv biases [out], conv kernels in SameDiff's [kH, kW, in, out] layout
 * (transposed on the way in and out); P and sign(s) are constants. SameDiff has no gradient
 * for a determinant, so the 1x1 conv's log|det| is H*W*sum(log|s|) (Glow section 3.2), never det(W).
 *
 * <p>Outputs: {@link #LATENT} [B, D], {@link #LOGDET} [B] (log|det dz/dx|), {@link #BITS_PER_DIM} [B]
 * (the dequantised NLL, (-log N(z) - logdet + D log 2^nBits) / (D log 2)) and {@link #LOSS} (its batch mean).
 */
public final class GlowModel {
    public static final String INPUT = "x";
    public static final String LATENT = "z";
    public static final String LOGDET = "logdet";
    public static final String BITS_PER_DIM = "bitsPerDim";
    public static final String LOSS = "loss";

    private final SameDiff sd = SameDiff.create();
    private final GlowArchitecture arch;
    private final int nBits;
    private final List<String> trainable = new ArrayList<>();
    /** Names of the values entering each actnorm, in flow order, for the data-dependent init. */
    private final List<String> actNormInputs = new ArrayList<>();
    /** The fixed parts of each 1x1 conv (P, sign(s)), level-major, from the initial weights. */
    private final List<InvConv1x1> fixedInvConvs = new ArrayList<>();

    /**
     * @param init  initial values of every weight (the model copies them)
     * @param nBits bits per value of the dequantised data the loss is measured on
     */
    public GlowModel(GlowWeights init, int nBits) {
        this.arch = init.architecture();
        this.nBits = nBits;
        build(init);
    }

    public GlowArchitecture architecture() {
        return arch;
    }

    public int nBits() {
        return nBits;
    }

    public SameDiff sameDiff() {
        return sd;
    }

    /** Names of the trainable variables, in a fixed order (the order of checkpoints and optimiser state). */
    public List<String> trainableNames() {
        return List.copyOf(trainable);
    }

    /** Names of the actnorm inputs, in flow order. */
    List<String> actNormInputs() {
        return List.copyOf(actNormInputs);
    }

    /** The values of the trainable variables (live arrays: updating them updates the model). */
    public Map<String, INDArray> parameters() {
        Map<String, INDArray> out = new LinkedHashMap<>();
        for (String name : trainable) {
            out.put(name, sd.getVariable(name).getArr());
        }
        return out;
    }

    /**
     * The fixed parts of the 1x1 convs (P as a row map and sign(s), as floats), keyed
     * {@code l<level>.k<step>.invconv.permutation} / {@code .sign}: a checkpoint stores them to check that a
     * resumed model was rebuilt with the same ones.
     */
    public Map<String, float[]> fixedParts() {
        Map<String, float[]> out = new LinkedHashMap<>();
        for (int i = 0; i < fixedInvConvs.size(); i++) {
            String p = "l" + i / arch.stepsPerLevel() + ".k" + i % arch.stepsPerLevel() + ".invconv";
            InvConv1x1 inv = fixedInvConvs.get(i);
            float[] perm = new float[inv.channels()];
            for (int j = 0; j < perm.length; j++) {
                perm[j] = inv.permutation()[j];
            }
            out.put(p + ".permutation", perm);
            out.put(p + ".sign", inv.signS().clone());
        }
        return out;
    }

    /** Runs the flow on a batch [B, C, S, S] in [0, 1]; returns the requested outputs by name. */
    public Map<String, INDArray> run(INDArray images, String... outputs) {
        return sd.output(Map.of(INPUT, images), outputs);
    }

    private void build(GlowWeights init) {
        int c0 = arch.channels();
        int s0 = arch.size();
        SDVariable x = sd.placeHolder(INPUT, DataType.FLOAT, -1, c0, s0, s0);
        SDVariable h = x.sub(0.5);
        List<SDVariable> eps = new ArrayList<>();
        List<SDVariable> dataLogdet = new ArrayList<>();
        SDVariable constantLogdet = sd.constant("logdet.zero", Nd4j.scalar(DataType.FLOAT, 0f));
        for (LevelShape shape : arch.levelShapes()) {
            Level level = init.levels().get(shape.level());
            String prefix = "l" + shape.level();
            double pixels = (double) shape.size() * shape.size();
            h = squeeze(h, shape);
            for (int k = 0; k < arch.stepsPerLevel(); k++) {
                String p = prefix + ".k" + k;
                FlowStep step = level.steps().get(k);
                actNormInputs.add(h.name());
                // actnorm: (x + bias) * exp(logScale), per-pixel log|det| = sum logScale
                SDVariable bias = param(p + ".actnorm.bias", step.actNorm().bias(), 1, shape.channels(), 1, 1);
                SDVariable logScale = param(p + ".actnorm.logScale", step.actNorm().logScale(), 1, shape.channels(),
                        1, 1);
                h = h.add(bias).mul(sd.math().exp(logScale));
                constantLogdet = constantLogdet.add(logScale.sum().mul(pixels));
                // invertible 1x1 conv in LU form: W = P L (U + diag(sign * exp(log|s|)))
                InvConv1x1 inv = step.invConv();
                fixedInvConvs.add(inv);
                SDVariable logAbsS = param(p + ".invconv.logAbsS", inv.logAbsS(), 1, inv.channels());
                SDVariable w = invConvWeight(p, inv, logAbsS);
                // SameDiff's conv kernel layout is [kH, kW, in, out]: W^T for a 1x1 kernel
                h = conv(h, w.permute(1, 0).reshape(1, 1, inv.channels(), inv.channels()), null, 1);
                constantLogdet = constantLogdet.add(logAbsS.sum().mul(pixels));
                // affine coupling
                int half = shape.channels() / 2;
                SDVariable xa = channels(h, 0, half);
                SDVariable xb = channels(h, half, shape.channels());
                Coupling cp = step.coupling();
                SDVariable hidden = sd.nn().relu(conv(xa, cp.input(), p + ".coupling.in"), 0);
                hidden = sd.nn().relu(conv(hidden, cp.hidden(), p + ".coupling.hidden"), 0);
                SDVariable th = conv(hidden, cp.output(), p + ".coupling.out");
                SDVariable t = channels(th, 0, half);
                // +2 starts s near sigmoid(2) = 0.88, as Glow's code
                SDVariable s = sd.nn().sigmoid(channels(th, half, shape.channels()).add(2.0));
                SDVariable yb = xb.add(t).mul(s);
                h = sd.concat(1, xa, yb);
                dataLogdet.add(sd.math().log(s).sum(1, 2, 3));
            }
            SDVariable epsImage;
            if (level.prior() instanceof SplitPrior split) {
                SDVariable kept = channels(h, 0, shape.keptChannels());
                SDVariable latent = channels(h, shape.keptChannels(), shape.channels());
                SDVariable ms = conv(kept, split.conv(), prefix + ".prior");
                SDVariable mean = channels(ms, 0, shape.latentChannels());
                SDVariable logStd = channels(ms, shape.latentChannels(), 2 * shape.latentChannels());
                epsImage = latent.sub(mean).mul(sd.math().exp(logStd.neg()));
                dataLogdet.add(logStd.sum(1, 2, 3).neg());
                h = kept;
            } else {
                TopPrior top = (TopPrior) level.prior();
                SDVariable mean = param(prefix + ".top.mean", top.mean(), 1, shape.channels(), 1, 1);
                SDVariable logStd = param(prefix + ".top.logStd", top.logStd(), 1, shape.channels(), 1, 1);
                epsImage = h.sub(mean).mul(sd.math().exp(logStd.neg()));
                constantLogdet = constantLogdet.sub(logStd.sum().mul(pixels));
            }
            eps.add(epsImage.reshape(-1, shape.latentSize()));
        }
        SDVariable z = eps.size() == 1 ? sd.identity(LATENT, eps.get(0))
                : sd.concat(LATENT, 1, eps.toArray(SDVariable[]::new));
        SDVariable logdet = sd.math().mergeAdd(dataLogdet.toArray(SDVariable[]::new)).add(LOGDET, constantLogdet);
        int dims = arch.latentSize();
        // log N(z; 0, I) = -0.5 * (z^2 + log 2 pi) summed over the D dims
        SDVariable logPrior = z.mul(z).sum(1).mul(-0.5).sub(0.5 * dims * Math.log(2 * Math.PI));
        double discretisation = dims * nBits * Math.log(2);
        SDVariable bits = logPrior.add(logdet).neg().add(discretisation).div(BITS_PER_DIM, dims * Math.log(2));
        SDVariable loss = bits.mean(LOSS);
        sd.setLossVariables(loss);
    }

    /** 2x2 space-to-depth: [B, c, h, w] -> [B, 4c, h/2, w/2], channel c*4 + dy*2 + dx (GlowGraphs' order). */
    private static SDVariable squeeze(SDVariable x, LevelShape after) {
        long c = after.channels() / 4;
        long s = after.size();
        SDVariable r = x.reshape(-1, c, s, 2, s, 2);
        return r.permute(0, 1, 3, 5, 2, 4).reshape(-1, 4 * c, s, s);
    }

    private SDVariable invConvWeight(String p, InvConv1x1 inv, SDVariable logAbsS) {
        int c = inv.channels();
        float[] lowerMask = new float[c * c];
        float[] upperMask = new float[c * c];
        float[] perm = new float[c * c];
        for (int i = 0; i < c; i++) {
            for (int j = 0; j < c; j++) {
                lowerMask[i * c + j] = j < i ? 1 : 0;
                upperMask[i * c + j] = j > i ? 1 : 0;
            }
            // row i of L U' is row permutation[i] of W
            perm[inv.permutation()[i] * c + i] = 1;
        }
        SDVariable lower = param(p + ".invconv.lower", inv.lower(), c, c);
        SDVariable upper = param(p + ".invconv.upper", inv.upper(), c, c);
        SDVariable eye = sd.constant(p + ".invconv.eye", Nd4j.eye(c).castTo(DataType.FLOAT));
        SDVariable sign = sd.constant(p + ".invconv.sign", Nd4j.create(inv.signS().clone(), new long[] {1, c}, 'c'));
        SDVariable l = lower.mul(sd.constant(Nd4j.create(lowerMask, new long[] {c, c}, 'c'))).add(eye);
        // eye * s (row-broadcast) puts s_j at (j, j): diag(s)
        SDVariable u = upper.mul(sd.constant(Nd4j.create(upperMask, new long[] {c, c}, 'c')))
                .add(eye.mul(sd.math().exp(logAbsS).mul(sign)));
        return sd.constant(p + ".invconv.perm", Nd4j.create(perm, new long[] {c, c}, 'c')).mmul(l.mmul(u));
    }

    private SDVariable conv(SDVariable x, Conv2d c, String name) {
        trainable.add(name + ".w");
        // stored [kH, kW, in, out] (SameDiff's default layout; its conv2d_bp rejects OIYX in M2.1)
        SDVariable w = sd.var(name + ".w", Nd4j.create(c.weight().clone(), new long[] {c.outChannels(),
                c.inChannels(), c.kernel(), c.kernel()}, 'c').permute(2, 3, 1, 0).dup('c'));
        SDVariable b = param(name + ".b", c.bias(), c.outChannels());
        return conv(x, w, b, c.kernel());
    }

    private SDVariable conv(SDVariable x, SDVariable w, SDVariable b, int kernel) {
        Conv2DConfig config = Conv2DConfig.builder()
                .kH(kernel).kW(kernel).sH(1).sW(1).pH(kernel / 2).pW(kernel / 2).dH(1).dW(1)
                .dataFormat("NCHW").build();
        return b == null ? sd.cnn().conv2d(x, w, config) : sd.cnn().conv2d(x, w, b, config);
    }

    private static SDVariable channels(SDVariable x, int from, int to) {
        return x.get(SDIndex.all(), SDIndex.interval(from, to), SDIndex.all(), SDIndex.all());
    }

    private SDVariable param(String name, float[] values, long... shape) {
        trainable.add(name);
        return sd.var(name, Nd4j.create(values.clone(), shape, 'c'));
    }

    /** The current values as {@link GlowWeights} (copies), ready for {@code PriorBundles.writeGlow}. */
    public GlowWeights weights() {
        List<Level> levels = new ArrayList<>();
        int stepIndex = 0;
        for (LevelShape shape : arch.levelShapes()) {
            String prefix = "l" + shape.level();
            List<FlowStep> steps = new ArrayList<>();
            for (int k = 0; k < arch.stepsPerLevel(); k++) {
                String p = prefix + ".k" + k;
                InvConv1x1 fixed = fixedInvConvs.get(stepIndex++);
                InvConv1x1 inv = new InvConv1x1(fixed.channels(), fixed.permutation().clone(),
                        values(p + ".invconv.lower"), values(p + ".invconv.upper"), values(p + ".invconv.logAbsS"),
                        fixed.signS().clone());
                steps.add(new FlowStep(new ActNorm(values(p + ".actnorm.bias"), values(p + ".actnorm.logScale")),
                        inv, new Coupling(convWeights(p + ".coupling.in"), convWeights(p + ".coupling.hidden"),
                        convWeights(p + ".coupling.out"))));
            }
            GlowWeights.LatentPrior prior = shape.level() == arch.levels() - 1
                    ? new TopPrior(values(prefix + ".top.mean"), values(prefix + ".top.logStd"))
                    : new SplitPrior(convWeights(prefix + ".prior"));
            levels.add(new Level(steps, prior));
        }
        return new GlowWeights(arch, levels);
    }

    private Conv2d convWeights(String name) {
        INDArray yxio = sd.getVariable(name + ".w").getArr();
        long[] shape = yxio.shape();
        float[] oihw = yxio.permute(3, 2, 0, 1).dup('c').data().asFloat();
        return new Conv2d((int) shape[3], (int) shape[2], (int) shape[0], oihw, values(name + ".b"));
    }

    private float[] values(String name) {
        return sd.getVariable(name).getArr().dup('c').data().asFloat();
    }
}
