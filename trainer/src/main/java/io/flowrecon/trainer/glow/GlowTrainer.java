package io.flowrecon.trainer.glow;

import io.flowrecon.shared.prior.Conv2d;
import io.flowrecon.shared.prior.GlowArchitecture;
import io.flowrecon.shared.prior.GlowWeights;
import io.flowrecon.shared.prior.GlowWeights.Coupling;
import io.flowrecon.shared.prior.GlowWeights.FlowStep;
import io.flowrecon.shared.prior.GlowWeights.Level;
import io.flowrecon.shared.prior.GlowWeights.SplitPrior;
import io.flowrecon.shared.prior.GlowWeights.TopPrior;
import io.flowrecon.trainer.data.BatchOrder;
import io.flowrecon.trainer.data.Dequantizer;
import io.flowrecon.trainer.data.ImageDataset;
import io.flowrecon.trainer.optim.Adam;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Trains a {@link GlowModel} by maximum likelihood on dequantised images (loss in bits/dim), with Adam.
 *
 * <p>Every random choice is a function of (seed, step): the batch of step t comes from {@link BatchOrder}, and
 * its dequantisation noise is drawn from (seed, t). A trainer
 * restored from a checkpoint at step t therefore continues exactly as the uninterrupted run would.
 */
public final class GlowTrainer {

    /**
     * @param batchSize images per step
     * @param nBits     bits per value after dequantisation (Glow used 5 for CelebA-HQ, 8 elsewhere)
     * @param seed      seed of the initial weights, the data order and the noise
     * @param adam      optimiser settings
     */
    public record Settings(int batchSize, int nBits, long seed, Adam.Settings adam) {
        public Settings {
            if (batchSize < 1) {
                throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
            }
        }
    }

    private final GlowModel model;
    private final Adam adam;
    private final Settings settings;
    private final ImageDataset data;
    private final Dequantizer dequantizer;
    private final BatchOrder order;

    private GlowTrainer(GlowModel model, Adam adam, Settings settings, ImageDataset data) {
        if (!data.shape().equals(model.architecture().imageShape())) {
            throw new IllegalArgumentException("dataset " + data.name() + " has images " + data.shape()
                    + " but the architecture expects " + model.architecture().imageShape());
        }
        this.model = model;
        this.adam = adam;
        this.settings = settings;
        this.data = data;
        this.dequantizer = new Dequantizer(settings.nBits());
        this.order = new BatchOrder(settings.seed(), data.size());
    }

    /** A fresh run: Glow's training init ({@link #initialWeights}) and actnorm initialised on the first batch. */
    public static GlowTrainer start(GlowArchitecture arch, Settings settings, ImageDataset data) {
        GlowModel model = new GlowModel(initialWeights(arch, settings.seed()), settings.nBits());
        GlowTrainer trainer = new GlowTrainer(model, new Adam(settings.adam()), settings, data);
        ActNormInit.initialise(model, trainer.batch(0));
        return trainer;
    }

    /**
     * A run continued from saved parameters and optimiser state (see {@code GlowCheckpoints}): the model is
     * rebuilt from {@link #initialWeights} of the same seed (which fixes P and sign(s) of the 1x1 convs), then
     * every trainable variable takes its saved value.
     */
    public static GlowTrainer resume(GlowArchitecture arch, Settings settings, Map<String, INDArray> parameters,
                                     Adam.State adamState, ImageDataset data) {
        GlowModel model = new GlowModel(initialWeights(arch, settings.seed()), settings.nBits());
        Map<String, INDArray> live = model.parameters();
        if (!live.keySet().equals(parameters.keySet())) {
            throw new IllegalArgumentException("checkpoint parameters " + parameters.keySet()
                    + " do not match the model's " + live.keySet());
        }
        live.forEach((name, array) -> array.assign(parameters.get(name)));
        GlowTrainer trainer = new GlowTrainer(model, new Adam(settings.adam()), settings, data);
        trainer.adam.restore(adamState);
        return trainer;
    }

    /**
     * Glow's training init: random 1x1 rotations in LU form and He-initialised coupling convs from
     * {@link GlowWeights#random}, then the last conv of every coupling and every latent prior set to zero
     * (Glow's Conv2dZeros), so that each coupling starts as the identity map up to the scale sigmoid(2).
     */
    public static GlowWeights initialWeights(GlowArchitecture arch, long seed) {
        GlowWeights random = GlowWeights.random(arch, seed);
        List<Level> levels = new ArrayList<>();
        for (Level level : random.levels()) {
            List<FlowStep> steps = new ArrayList<>();
            for (FlowStep step : level.steps()) {
                Coupling c = step.coupling();
                steps.add(new FlowStep(step.actNorm(), step.invConv(),
                        new Coupling(c.input(), c.hidden(), zeros(c.output()))));
            }
            GlowWeights.LatentPrior prior = level.prior() instanceof SplitPrior split
                    ? new SplitPrior(zeros(split.conv()))
                    : new TopPrior(new float[((TopPrior) level.prior()).mean().length],
                    new float[((TopPrior) level.prior()).mean().length]);
            levels.add(new Level(steps, prior));
        }
        return new GlowWeights(arch, levels);
    }

    private static Conv2d zeros(Conv2d c) {
        return new Conv2d(c.outChannels(), c.inChannels(), c.kernel(), new float[c.weight().length],
                new float[c.bias().length]);
    }

    public GlowModel model() {
        return model;
    }

    public Settings settings() {
        return settings;
    }

    /** Steps taken so far (the optimiser's count). */
    public long step() {
        return adam.step();
    }

    public Adam.State optimiserState() {
        return adam.state();
    }

    /** One Adam step on the next batch; returns the batch's mean bits/dim before the update. */
    public double trainStep() {
        INDArray batch = batch(adam.step());
        Map<String, INDArray> params = model.parameters();
        OutAndGrad og = model.sameDiff().calculateGradientsAndOutputs(Map.of(GlowModel.INPUT, batch),
                List.of(GlowModel.LOSS), params.keySet());
        double loss = og.getOutputs().get(GlowModel.LOSS).getDouble(0);
        if (!Double.isFinite(loss)) {
            throw new IllegalStateException("glow training diverged at step " + adam.step() + ": loss " + loss
                    + " bits/dim; lower the learning rate or raise the warm-up");
        }
        adam.update(params, og.getGradients());
        return loss;
    }

    /**
     * Mean bits/dim over {@code test} (Glow's test metric), with dequantisation noise from a fixed seed so that
     * two evaluations of the same weights agree.
     */
    public double evaluate(ImageDataset test, int batchSize) {
        SplittableRandom random = new SplittableRandom(settings.seed() ^ 0x7e57L);
        double sum = 0;
        for (int start = 0; start < test.size(); start += batchSize) {
            int n = Math.min(batchSize, test.size() - start);
            int[] indices = new int[n];
            for (int j = 0; j < n; j++) {
                indices[j] = start + j;
            }
            INDArray bits = model.run(images(test, indices, random), GlowModel.BITS_PER_DIM)
                    .get(GlowModel.BITS_PER_DIM);
            sum += bits.sumNumber().doubleValue();
        }
        return sum / test.size();
    }

    /** The dequantised batch of step {@code step}. */
    INDArray batch(long step) {
        int[] indices = order.batch(step, settings.batchSize());
        return images(data, indices, new SplittableRandom(BatchOrder.mix(settings.seed(), step)));
    }

    private INDArray images(ImageDataset set, int[] indices, SplittableRandom random) {
        var shape = set.shape();
        float[] values = new float[indices.length * shape.size()];
        dequantizer.batch(set, indices, random, values);
        return Nd4j.create(values, new long[] {indices.length, shape.channels(), shape.height(), shape.width()}, 'c');
    }
}
