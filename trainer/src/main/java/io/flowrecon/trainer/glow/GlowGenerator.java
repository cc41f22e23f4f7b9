package io.flowrecon.trainer.glow;

import io.flowrecon.shared.prior.Conv2d;
import io.flowrecon.shared.prior.GlowArchitecture;
import io.flowrecon.shared.prior.GlowArchitecture.LevelShape;
import io.flowrecon.shared.prior.GlowWeights;
import io.flowrecon.shared.prior.GlowWeights.FlowStep;
import io.flowrecon.shared.prior.GlowWeights.Level;
import io.flowrecon.shared.prior.GlowWeights.SplitPrior;
import io.flowrecon.shared.prior.GlowWeights.TopPrior;
import io.flowrecon.shared.prior.InvConv1x1;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.inverse.InvertMatrix;

/**
 * Glow's reverse flow G: z -> x (Kingma &amp; Dhariwal 2018, the inverse of every layer of {@link GlowModel}) as
 * a SameDiff graph, for checking the exported {@code generator.onnx} against Deeplearning4j (verify's parity
 * test). Independent of the ONNX writer where it matters: W^-1 of each 1x1 conv is composed from P, L, U and s
 * here and inverted by ND4J's LU ({@link InvertMatrix}) in double precision, not taken from
 * {@code InvConv1x1.inverse()}.
 *
 * <p>Per level, finest last: eps -> z_l = eps * std + mean (top prior, or the split prior from the kept half),
 * then for k = K-1 .. 0: coupling^-1 x_b = y_b / s - t, 1x1 conv with W^-1, actnorm^-1 x = y exp(-logScale) -
 * bias; then unsqueeze. Finally x + 0.5. Inference only: nothing here is trainable.
 */
public final class GlowGenerator {
    public static final String LATENT = "z";
    public static final String IMAGE = "x";

    private final SameDiff sd = SameDiff.create();
    private final GlowArchitecture arch;

    public GlowGenerator(GlowWeights weights) {
        this.arch = weights.architecture();
        build(weights);
    }

    public GlowArchitecture architecture() {
        return arch;
    }

    /** G(z) for z [B, C*S*S]; returns [B, C, S, S], unclipped. */
    public INDArray generate(INDArray z) {
        return sd.output(Map.of(LATENT, z), IMAGE).get(IMAGE);
    }

    private void build(GlowWeights w) {
        List<LevelShape> shapes = arch.levelShapes();
        SDVariable z = sd.placeHolder(LATENT, DataType.FLOAT, -1, arch.latentSize());
        SDVariable[] eps = new SDVariable[shapes.size()];
        int offset = 0;
        for (LevelShape shape : shapes) {
            eps[shape.level()] = z.get(SDIndex.all(), SDIndex.interval(offset, offset + shape.latentSize()));
            offset += shape.latentSize();
        }
        SDVariable h = null;
        for (int l = shapes.size() - 1; l >= 0; l--) {
            LevelShape shape = shapes.get(l);
            Level level = w.levels().get(l);
            SDVariable epsImage = eps[l].reshape(-1, shape.latentChannels(), shape.size(), shape.size());
            if (level.prior() instanceof TopPrior top) {
                h = epsImage.mul(sd.math().exp(channel(top.logStd()))).add(channel(top.mean()));
            } else {
                SplitPrior split = (SplitPrior) level.prior();
                SDVariable ms = conv(h, split.conv());
                SDVariable mean = channels(ms, 0, shape.latentChannels());
                SDVariable logStd = channels(ms, shape.latentChannels(), 2 * shape.latentChannels());
                h = sd.concat(1, h, epsImage.mul(sd.math().exp(logStd)).add(mean));
            }
            for (int k = arch.stepsPerLevel() - 1; k >= 0; k--) {
                h = reverseStep(h, level.steps().get(k), shape.channels());
            }
            h = unsqueeze(h, shape);
        }
        h.add(IMAGE, 0.5);
    }

    private SDVariable reverseStep(SDVariable h, FlowStep step, int c) {
        int half = c / 2;
        SDVariable xa = channels(h, 0, half);
        SDVariable yb = channels(h, half, c);
        SDVariable hidden = sd.nn().relu(conv(xa, step.coupling().input()), 0);
        hidden = sd.nn().relu(conv(hidden, step.coupling().hidden()), 0);
        SDVariable th = conv(hidden, step.coupling().output());
        SDVariable t = channels(th, 0, half);
        SDVariable s = sd.nn().sigmoid(channels(th, half, c).add(2.0));
        h = sd.concat(1, xa, yb.div(s).sub(t));
        INDArray winv = inverseWeight(step.invConv());
        // y = W^-1 x per pixel: a 1x1 kernel [kH, kW, in, out] holds (W^-1)^T
        h = conv(h, sd.constant(winv.transpose().reshape(1, 1, c, c).dup('c')), null, 1);
        float[] negLogScale = step.actNorm().logScale().clone();
        for (int i = 0; i < negLogScale.length; i++) {
            negLogScale[i] = -negLogScale[i];
        }
        return h.mul(sd.math().exp(channel(negLogScale))).sub(channel(step.actNorm().bias()));
    }

    /** W = P L (U + diag(sign exp(log|s|))) from the raw factors, inverted by ND4J in double precision. */
    static INDArray inverseWeight(InvConv1x1 inv) {
        int c = inv.channels();
        INDArray lower = Nd4j.eye(c).castTo(DataType.DOUBLE);
        INDArray upper = Nd4j.zeros(DataType.DOUBLE, c, c);
        INDArray perm = Nd4j.zeros(DataType.DOUBLE, c, c);
        for (int i = 0; i < c; i++) {
            for (int j = 0; j < c; j++) {
                if (j < i) {
                    lower.putScalar(i, j, inv.lower()[i * c + j]);
                } else if (j > i) {
                    upper.putScalar(i, j, inv.upper()[i * c + j]);
                }
            }
            upper.putScalar(i, i, inv.signS()[i] * Math.exp(inv.logAbsS()[i]));
            // row i of L U' is row permutation[i] of W
            perm.putScalar(inv.permutation()[i], i, 1.0);
        }
        INDArray weight = perm.mmul(lower.mmul(upper));
        return InvertMatrix.invert(weight, false).castTo(DataType.FLOAT);
    }

    /** The inverse of GlowModel's squeeze: [B, 4c, s, s] -> [B, c, 2s, 2s], channel c*4 + dy*2 + dx. */
    private static SDVariable unsqueeze(SDVariable x, LevelShape shape) {
        long c = shape.channels() / 4;
        long s = shape.size();
        return x.reshape(-1, c, 2, 2, s, s).permute(0, 1, 4, 2, 5, 3).reshape(-1, c, 2 * s, 2 * s);
    }

    private SDVariable conv(SDVariable x, Conv2d c) {
        // OIHW -> SameDiff's [kH, kW, in, out]
        INDArray kernel = Nd4j.create(c.weight().clone(), new long[] {c.outChannels(), c.inChannels(), c.kernel(),
                c.kernel()}, 'c').permute(2, 3, 1, 0).dup('c');
        return conv(x, sd.constant(kernel), sd.constant(Nd4j.create(c.bias().clone(), new long[] {c.outChannels()},
                'c')), c.kernel());
    }

    private SDVariable conv(SDVariable x, SDVariable w, SDVariable b, int kernel) {
        Conv2DConfig config = Conv2DConfig.builder()
                .kH(kernel).kW(kernel).sH(1).sW(1).pH(kernel / 2).pW(kernel / 2).dH(1).dW(1)
                .dataFormat("NCHW").build();
        return b == null ? sd.cnn().conv2d(x, w, config) : sd.cnn().conv2d(x, w, b, config);
    }

    private SDVariable channel(float[] values) {
        return sd.constant(Nd4j.create(values.clone(), new long[] {1, values.length, 1, 1}, 'c'));
    }

    private static SDVariable channels(SDVariable x, int from, int to) {
        return x.get(SDIndex.all(), SDIndex.interval(from, to), SDIndex.all(), SDIndex.all());
    }
}
