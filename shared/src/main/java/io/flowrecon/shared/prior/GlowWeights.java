package io.flowrecon.shared.prior;

import io.flowrecon.shared.prior.GlowArchitecture.LevelShape;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * All weights of a {@link GlowArchitecture}, as plain arrays (a trainer fills these; {@link GlowGraphs} writes
 * them into ONNX). Layouts are documented on each record; channel counts follow
 * {@link GlowArchitecture#levelShapes()}: a level with c channels (after its squeeze) has steps over c channels,
 * couplings that read c/2 and write c/2.
 *
 * @param architecture the shape these weights fill
 * @param levels       one entry per level, finest first
 */
public record GlowWeights(GlowArchitecture architecture, List<Level> levels) {

    public GlowWeights {
        levels = List.copyOf(levels);
        List<LevelShape> shapes = architecture.levelShapes();
        if (levels.size() != shapes.size()) {
            throw new IllegalArgumentException("glow weights: " + shapes.size() + " levels expected, got " + levels.size());
        }
        for (LevelShape shape : shapes) {
            levels.get(shape.level()).check(architecture, shape);
        }
    }

    /**
     * Actnorm (Glow section 3.1): y = (x + bias) * exp(logScale) per channel.
     *
     * @param bias     [c]
     * @param logScale [c]
     */
    public record ActNorm(float[] bias, float[] logScale) {
        public ActNorm {
            if (bias == null || logScale == null || bias.length != logScale.length) {
                throw new IllegalArgumentException("actnorm: bias and logScale must have one value per channel");
            }
            Layouts.requireLength("actnorm bias", bias, bias.length);
            Layouts.requireLength("actnorm logScale", logScale, logScale.length);
        }

        public int channels() {
            return bias.length;
        }
    }

    /**
     * Affine coupling (Glow section 3.3): x_a, x_b = first and second half of the channels;
     * NN(x_a) = output(relu(hidden(relu(input(x_a))))) has c channels, the first c/2 the shift t, the last c/2
     * the raw scale h; s = sigmoid(h + 2), y_b = (x_b + t) * s, y = concat(x_a, y_b), log|det| = sum log s.
     *
     * @param input  3x3 conv, c/2 -> H
     * @param hidden 1x1 conv, H -> H
     * @param output 3x3 conv, H -> c (zero in Glow's training init; small random here)
     */
    public record Coupling(Conv2d input, Conv2d hidden, Conv2d output) {
    }

    /** One flow step: actnorm, then the invertible 1x1 conv, then the affine coupling. */
    public record FlowStep(ActNorm actNorm, InvConv1x1 invConv, Coupling coupling) {
    }

    /** The learned prior of a level's latent half: z = mean + exp(logStd) * eps with eps standard normal. */
    public sealed interface LatentPrior permits SplitPrior, TopPrior {
    }

    /**
     * Prior of a split-off half (Glow's split2d): a 3x3 conv of the kept half gives 2 x latentChannels channels,
     * the first half the mean, the second the log-std.
     *
     * @param conv 3x3 conv, keptChannels -> 2 x latentChannels
     */
    public record SplitPrior(Conv2d conv) implements LatentPrior {
    }

    /**
     * Prior of the last level's output: a learned per-channel mean and log-std.
     *
     * @param mean   [c]
     * @param logStd [c]
     */
    public record TopPrior(float[] mean, float[] logStd) implements LatentPrior {
        public TopPrior {
            if (mean == null || logStd == null || mean.length != logStd.length) {
                throw new IllegalArgumentException("top prior: mean and logStd must have one value per channel");
            }
            Layouts.requireLength("top prior mean", mean, mean.length);
            Layouts.requireLength("top prior logStd", logStd, logStd.length);
        }
    }

    /**
     * One level: its flow steps, then the prior of its latent (a {@link SplitPrior} on every level but the last,
     * a {@link TopPrior} on the last).
     */
    public record Level(List<FlowStep> steps, LatentPrior prior) {
        public Level {
            steps = List.copyOf(steps);
        }

        void check(GlowArchitecture arch, LevelShape shape) {
            String where = "glow weights, level " + shape.level();
            int c = shape.channels();
            if (steps.size() != arch.stepsPerLevel()) {
                throw new IllegalArgumentException(where + ": " + arch.stepsPerLevel() + " steps expected, got "
                        + steps.size());
            }
            for (int k = 0; k < steps.size(); k++) {
                FlowStep step = steps.get(k);
                String at = where + ", step " + k;
                expect(at + " actnorm channels", step.actNorm().channels(), c);
                expect(at + " 1x1 conv channels", step.invConv().channels(), c);
                expectConv(at + " coupling input", step.coupling().input(), c / 2, arch.hidden(), 3);
                expectConv(at + " coupling hidden", step.coupling().hidden(), arch.hidden(), arch.hidden(), 1);
                expectConv(at + " coupling output", step.coupling().output(), arch.hidden(), c, 3);
            }
            boolean last = shape.level() == arch.levels() - 1;
            if (prior instanceof SplitPrior split) {
                if (last) {
                    throw new IllegalArgumentException(where + ": the last level needs a top prior, not a split prior");
                }
                expectConv(where + " split prior", split.conv(), shape.keptChannels(), 2 * shape.latentChannels(), 3);
            } else if (prior instanceof TopPrior top) {
                if (!last) {
                    throw new IllegalArgumentException(where + ": only the last level has a top prior");
                }
                expect(where + " top prior channels", top.mean().length, c);
            } else {
                throw new IllegalArgumentException(where + ": a latent prior is required");
            }
        }

        private static void expectConv(String what, Conv2d conv, int in, int out, int kernel) {
            if (conv.inChannels() != in || conv.outChannels() != out || conv.kernel() != kernel) {
                throw new IllegalArgumentException(what + ": expected a " + kernel + "x" + kernel + " conv " + in
                        + " -> " + out + " channels, got " + conv.kernel() + "x" + conv.kernel() + " "
                        + conv.inChannels() + " -> " + conv.outChannels());
            }
        }

        private static void expect(String what, int actual, int expected) {
            if (actual != expected) {
                throw new IllegalArgumentException(what + ": expected " + expected + ", got " + actual);
            }
        }
    }

    /**
     * Randomly initialised weights that exercise every part of the flow (unlike Glow's training init, which
     * zeroes the last coupling conv and makes each coupling the identity): actnorm scales exp(N(0, 0.05^2)) near
     * 1, random-rotation 1x1 convs with log|s| perturbed (condition number near 1, det != 1), coupling outputs
     * and split priors with gain {@value #COUPLING_OUTPUT_GAIN}. The gain is
     * small on purpose: the ReLU nets are positively homogeneous, so h and log-std grow with the activations, and
     * the reverse flow (dividing by s = sigmoid(h + 2), multiplying by exp(log-std)) feeds that growth back; with
     * gains 0.5 / 0.2 a 3x32x32, L=3, K=8 prior overflowed to NaN for z ~ N(0, I). Biases (std 0.05) keep every
     * term non-trivial.
     * Deterministic in {@code seed} (java.util.Random).
     */
    public static final double COUPLING_OUTPUT_GAIN = 0.02;

    public static GlowWeights random(GlowArchitecture arch, long seed) {
        return random(arch, seed, COUPLING_OUTPUT_GAIN);
    }

    /**
     * The same with another gain of the last coupling conv and of the split priors' conv. 0 is Glow's training
     * init (only their biases remain, so s and the split log-std no longer depend on the activations): the one that
     * keeps a deep random flow finite, e.g. the paper's 3x64x64, L = 4, K = 32 Glow, which overflows at 0.02.
     * Every conv is still computed, so its cost is the trained model's.
     */
    public static GlowWeights random(GlowArchitecture arch, long seed, double outputGain) {
        if (!(outputGain >= 0) || !Double.isFinite(outputGain)) {
            throw new IllegalArgumentException("the output gain must be a finite number >= 0, got " + outputGain);
        }
        Random random = new Random(seed);
        List<Level> levels = new ArrayList<>();
        for (LevelShape shape : arch.levelShapes()) {
            int c = shape.channels();
            List<FlowStep> steps = new ArrayList<>();
            for (int k = 0; k < arch.stepsPerLevel(); k++) {
                ActNorm actNorm = new ActNorm(Layouts.gaussian(random, c, 0.05), Layouts.gaussian(random, c, 0.05));
                InvConv1x1 invConv = InvConv1x1.random(c, 0.1, random);
                Coupling coupling = new Coupling(
                        Conv2d.random(arch.hidden(), c / 2, 3, Math.sqrt(2), 0.01, random),
                        Conv2d.random(arch.hidden(), arch.hidden(), 1, Math.sqrt(2), 0.01, random),
                        Conv2d.random(c, arch.hidden(), 3, outputGain, 0.05, random));
                steps.add(new FlowStep(actNorm, invConv, coupling));
            }
            LatentPrior prior = shape.level() == arch.levels() - 1
                    ? new TopPrior(Layouts.gaussian(random, c, 0.05), Layouts.gaussian(random, c, 0.05))
                    : new SplitPrior(Conv2d.random(2 * shape.latentChannels(), shape.keptChannels(), 3,
                            outputGain, 0.05,
                    random));
            levels.add(new Level(steps, prior));
        }
        return new GlowWeights(arch, levels);
    }
}
