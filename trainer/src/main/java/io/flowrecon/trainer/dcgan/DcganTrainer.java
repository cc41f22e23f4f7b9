package io.flowrecon.trainer.dcgan;

import io.flowrecon.shared.prior.DcganArchitecture;
import io.flowrecon.shared.prior.DcganWeights;
import io.flowrecon.trainer.data.BatchOrder;
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
 * Trains a {@link DcganModel} with the alternating updates of Goodfellow et al. (2014) as Radford et al. (2016)
 * ran them: per step one discriminator update on a real and a fake batch, then one generator update on the same
 * z with the non-saturating loss; Adam(2e-4, beta1 0.5) for both by default. The batch and z of step t are
 * functions of (seed, t), as in the Glow trainer.
 */
public final class DcganTrainer {

    /** @param batchSize images per step; @param seed seed of the weights, data order and z */
    public record Settings(int batchSize, long seed, Adam.Settings adam) {
        public Settings {
            if (batchSize < 2) {
                throw new IllegalArgumentException("batch size must be at least 2 (batch statistics), got " + batchSize);
            }
        }

        /** Radford et al.'s optimiser: Adam, learning rate 2e-4, beta1 0.5. */
        public static Adam.Settings radfordAdam() {
            return new Adam.Settings(2e-4, 0.5, 0.999, 1e-8, 0, 0);
        }
    }

    /** The losses of one step, in nats. */
    public record Losses(double discriminator, double generator) {
    }

    private final DcganModel model;
    private final Settings settings;
    private final ImageDataset data;
    private final BatchOrder order;
    private final Adam generatorAdam;
    private final Adam discriminatorAdam;

    public DcganTrainer(DcganArchitecture arch, Settings settings, ImageDataset data) {
        if (!data.shape().equals(arch.imageShape())) {
            throw new IllegalArgumentException("dataset " + data.name() + " has images " + data.shape()
                    + " but the architecture expects " + arch.imageShape());
        }
        DcganWeights init = DcganWeights.random(arch, settings.seed());
        // a fresh run starts with the identity running statistics (PyTorch's BatchNorm init)
        this.model = new DcganModel(init, settings.seed() + 1);
        for (Map.Entry<String, INDArray> e : model.runningStatistics().entrySet()) {
            e.getValue().assign(e.getKey().endsWith("runningVar") ? 1 : 0);
        }
        this.settings = settings;
        this.data = data;
        this.order = new BatchOrder(settings.seed(), data.size());
        this.generatorAdam = new Adam(settings.adam());
        this.discriminatorAdam = new Adam(settings.adam());
    }

    public DcganModel model() {
        return model;
    }

    public long step() {
        return generatorAdam.step();
    }

    public Settings settings() {
        return settings;
    }

    /** Everything a checkpoint saves besides the optimisers: both networks' parameters and BN statistics. */
    public Map<String, INDArray> state() {
        Map<String, INDArray> out = new java.util.LinkedHashMap<>(model.generatorParameters());
        out.putAll(model.runningStatistics());
        out.putAll(model.discriminatorParameters());
        return out;
    }

    public Adam.State generatorOptimiser() {
        return generatorAdam.state();
    }

    public Adam.State discriminatorOptimiser() {
        return discriminatorAdam.state();
    }

    /** Restores a saved {@link #state()} and optimiser states (a resumed run continues exactly). */
    public void restore(Map<String, INDArray> state, Adam.State generator, Adam.State discriminator) {
        Map<String, INDArray> live = state();
        if (!live.keySet().equals(state.keySet())) {
            throw new IllegalArgumentException("checkpoint arrays " + state.keySet() + " do not match the model's "
                    + live.keySet());
        }
        live.forEach((name, array) -> array.assign(state.get(name)));
        model.syncDiscriminator();
        generatorAdam.restore(generator);
        discriminatorAdam.restore(discriminator);
    }

    public Losses trainStep() {
        long step = step();
        int b = settings.batchSize();
        int[] indices = order.batch(step, b);
        var shape = data.shape();
        float[] real = new float[b * shape.size()];
        for (int j = 0; j < b; j++) {
            System.arraycopy(data.image(indices[j]), 0, real, j * shape.size(), shape.size());
        }
        INDArray realBatch = Nd4j.create(real, new long[] {b, shape.channels(), shape.height(), shape.width()}, 'c');
        INDArray z = latents(b, new SplittableRandom(BatchOrder.mix(settings.seed(), step)));

        var gsd = model.generatorGraph();
        INDArray fake = gsd.output(Map.of(DcganModel.LATENT, z), DcganModel.FAKE_TANH).get(DcganModel.FAKE_TANH);
        Map<String, INDArray> dParams = model.discriminatorParameters();
        OutAndGrad d = model.discriminatorGraph().calculateGradientsAndOutputs(
                Map.of(DcganModel.REAL, realBatch, DcganModel.FAKE, fake), List.of(DcganModel.D_LOSS),
                dParams.keySet());
        discriminatorAdam.update(dParams, d.getGradients());
        model.syncDiscriminator();

        Map<String, INDArray> gParams = model.generatorParameters();
        List<String> outputs = new ArrayList<>(model.batchStatisticNames());
        outputs.add(DcganModel.G_LOSS);
        OutAndGrad g = gsd.calculateGradientsAndOutputs(Map.of(DcganModel.LATENT, z), outputs, gParams.keySet());
        generatorAdam.update(gParams, g.getGradients());
        model.updateRunningStatistics(g.getOutputs(), b);
        double dLoss = d.getOutputs().get(DcganModel.D_LOSS).getDouble(0);
        double gLoss = g.getOutputs().get(DcganModel.G_LOSS).getDouble(0);
        if (!Double.isFinite(dLoss) || !Double.isFinite(gLoss)) {
            throw new IllegalStateException("dcgan training diverged at step " + step + ": losses " + dLoss + ", "
                    + gLoss);
        }
        return new Losses(dLoss, gLoss);
    }

    private INDArray latents(int count, SplittableRandom random) {
        int latent = model.architecture().latent();
        float[] z = new float[count * latent];
        for (int i = 0; i < z.length; i++) {
            z[i] = (float) random.nextGaussian();
        }
        return Nd4j.create(z, new long[] {count, latent}, 'c');
    }
}
