package io.flowrecon.trainer.glow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowrecon.shared.job.ImageShape;
import io.flowrecon.shared.prior.BatchSize;
import io.flowrecon.shared.prior.GlowArchitecture;
import io.flowrecon.shared.prior.GlowGraphs;
import io.flowrecon.shared.prior.GlowWeights;
import io.flowrecon.trainer.data.ImageDataset;
import io.flowrecon.trainer.optim.Adam;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class GlowModelTest {
    /** Small but complete: 2 levels (a split prior and a top prior), 2 steps each, 3 channels. */
    static final GlowArchitecture TINY = new GlowArchitecture(3, 8, 2, 2, 8);

    /**
     * The exported encoder must compute what SameDiff trains. Both run float32 through ~20 layers with
     * different summation orders; 1e-4 absolute on z (values of order 1) is verify's bound and leaves room
     * for that rounding only. logdet sums ~200 terms of order 1, so it gets 1e-4 relative.
     */
    @Test
    void onnxEncoderOfPulledWeightsAgreesWithTheSameDiffFlow() throws Exception {
        // random weights exercise every layer (Glow's training init makes couplings the identity)
        GlowModel model = new GlowModel(GlowWeights.random(TINY, 11), 8);
        int batch = 4;
        float[] x = randomImages(batch, 5);
        Map<String, INDArray> sd = model.run(Nd4j.create(x, new long[] {batch, 3, 8, 8}, 'c'),
                GlowModel.LATENT, GlowModel.LOGDET);
        GlowWeights pulled = model.weights();
        Map<String, float[]> onnx = OnnxRun.run(GlowGraphs.encoder(pulled, BatchSize.of(batch)), GlowGraphs.IMAGE, x,
                batch, 3, 8, 8);
        assertClose(onnx.get(GlowGraphs.LATENT), sd.get(GlowModel.LATENT).dup('c').data().asFloat(), 1e-4, "z");
        float[] logdetOnnx = onnx.get(GlowGraphs.LOGDET);
        float[] logdetSd = sd.get(GlowModel.LOGDET).dup('c').data().asFloat();
        for (int i = 0; i < batch; i++) {
            assertEquals(logdetOnnx[i], logdetSd[i], 1e-4 * Math.max(1, Math.abs(logdetOnnx[i])), "logdet " + i);
        }
        assertTrue(Math.abs(logdetSd[0]) > 1, "random weights give a non-trivial logdet: " + logdetSd[0]);
    }

    @Test
    void onnxEncoderAgreesOnRealFashionMnistTestImages() throws Exception {
        java.nio.file.Path fmnist = java.nio.file.Path.of("/usr/share/datasets/fashion-mnist");
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isDirectory(fmnist), "no Fashion-MNIST");
        ImageDataset test = io.flowrecon.trainer.data.MnistFolders.readSplit(fmnist, "test").range(0, 3);
        GlowArchitecture arch = new GlowArchitecture(1, 28, 2, 2, 8);
        GlowModel model = new GlowModel(GlowWeights.random(arch, 21), 8);
        float[] x = new float[3 * 784];
        for (int i = 0; i < 3; i++) {
            System.arraycopy(test.image(i), 0, x, i * 784, 784);
        }
        float[] zSd = model.run(Nd4j.create(x, new long[] {3, 1, 28, 28}, 'c'), GlowModel.LATENT)
                .get(GlowModel.LATENT).dup('c').data().asFloat();
        float[] zOnnx = OnnxRun.run(GlowGraphs.encoder(model.weights(), BatchSize.of(3)), GlowGraphs.IMAGE, x,
                3, 1, 28, 28).get(GlowGraphs.LATENT);
        // same bound and reason as above
        assertClose(zOnnx, zSd, 1e-4, "z of Fashion-MNIST test images");
    }

    @Test
    void actNormInitWhitensEachChannelOfTheFirstBatch() {
        ImageDataset data = toyData(32, 8);
        GlowTrainer trainer = GlowTrainer.start(TINY, settings(32, 1e-3), data);
        GlowModel model = trainer.model();
        INDArray batch = trainer.batch(0);
        // the first actnorm of the second level sees the output of all of level 0
        String input = model.actNormInputs().get(TINY.stepsPerLevel());
        INDArray h = model.run(batch, input).get(input);
        String p = "l1.k0.actnorm.";
        INDArray y = h.add(model.parameters().get(p + "bias"))
                .mul(org.nd4j.linalg.ops.transforms.Transforms.exp(model.parameters().get(p + "logScale"), true));
        INDArray mean = y.mean(0, 2, 3);
        INDArray std = y.std(false, 0, 2, 3);
        for (int c = 0; c < mean.length(); c++) {
            // exact up to float rounding of means over 32 x 4 values and the 1e-6 guard on std
            assertEquals(0, mean.getDouble(c), 1e-4, "mean of channel " + c);
            assertEquals(1, std.getDouble(c), 1e-3, "std of channel " + c);
        }
    }

    @Test
    void exportedGeneratorInvertsTheTrainedEncoder() throws Exception {
        ImageDataset data = toyData(64, 3);
        GlowTrainer trainer = GlowTrainer.start(TINY, settings(16, 1e-3), data);
        for (int t = 0; t < 3; t++) {
            trainer.trainStep();
        }
        GlowWeights trained = trainer.model().weights();
        int batch = 2;
        float[] x = randomImages(batch, 9);
        float[] z = OnnxRun.run(GlowGraphs.encoder(trained, BatchSize.of(batch)), GlowGraphs.IMAGE, x,
                batch, 3, 8, 8).get(GlowGraphs.LATENT);
        float[] back = OnnxRun.run(GlowGraphs.generator(trained, BatchSize.of(batch)), GlowGraphs.LATENT, z,
                batch, TINY.latentSize()).get(GlowGraphs.IMAGE);
        // x -> z -> x through ~20 float32 layers and their inverses; 1e-4 absolute on values in [0, 1]
        assertClose(x, back, 1e-4, "G(G^-1(x))");
        // and the trained SameDiff flow still agrees with the exported encoder
        float[] zSd = trainer.model().run(Nd4j.create(x, new long[] {batch, 3, 8, 8}, 'c'), GlowModel.LATENT)
                .get(GlowModel.LATENT).dup('c').data().asFloat();
        assertClose(z, zSd, 1e-4, "z after training");
    }

    @Test
    void weightsSurviveTheRoundTripThroughTheModel() {
        GlowWeights w = GlowWeights.random(TINY, 3);
        GlowWeights back = new GlowModel(w, 8).weights();
        var a = w.levels().get(1).steps().get(1);
        var b = back.levels().get(1).steps().get(1);
        assertArrayEquals(a.coupling().input().weight(), b.coupling().input().weight());
        assertArrayEquals(a.invConv().lower(), b.invConv().lower());
        assertArrayEquals(a.invConv().permutation(), b.invConv().permutation());
        assertArrayEquals(a.actNorm().logScale(), b.actNorm().logScale());
    }

    @Test
    void trainingLowersBitsPerDimOnToyData() {
        ImageDataset data = toyData(64, 3);
        GlowTrainer trainer = GlowTrainer.start(TINY, settings(16, 2e-3), data);
        double before = trainer.evaluate(data, 32);
        double first = trainer.trainStep();
        for (int t = 0; t < 39; t++) {
            trainer.trainStep();
        }
        double after = trainer.evaluate(data, 32);
        System.out.println("glow toy: bits/dim before " + before + ", after 40 steps " + after);
        // Smooth toy images are far more likely than actnorm-whitened noise; 40 Adam steps must win a clear
        // margin (measured: 7.01 -> 5.14 bits/dim with these seeds), far above the noise of a 64-image evaluation.
        assertTrue(after < before - 0.3, "bits/dim before " + before + ", after " + after + " (first batch "
                + first + ")");
    }

    static GlowTrainer.Settings settings(int batch, double lr) {
        return new GlowTrainer.Settings(batch, 8, 17, new Adam.Settings(lr, 0.9, 0.999, 1e-8, 5, 50));
    }

    /** Smooth random blobs (low-frequency images), so that there is structure to learn. */
    static ImageDataset toyData(int count, long seed) {
        Random random = new Random(seed);
        ImageShape shape = new ImageShape(3, 8, 8);
        byte[] pixels = new byte[count * shape.size()];
        for (int i = 0; i < count; i++) {
            double cx = random.nextDouble() * 8;
            double cy = random.nextDouble() * 8;
            for (int c = 0; c < 3; c++) {
                double level = 0.3 + 0.5 * random.nextDouble();
                for (int y = 0; y < 8; y++) {
                    for (int x = 0; x < 8; x++) {
                        double v = level * Math.exp(-((x - cx) * (x - cx) + (y - cy) * (y - cy)) / 8);
                        pixels[i * shape.size() + (c * 8 + y) * 8 + x] = (byte) Math.round(v * 255);
                    }
                }
            }
        }
        return new ImageDataset("toy-blobs", shape, pixels, null);
    }

    static float[] randomImages(int batch, long seed) {
        Random random = new Random(seed);
        float[] x = new float[batch * 3 * 8 * 8];
        for (int i = 0; i < x.length; i++) {
            x[i] = random.nextFloat();
        }
        return x;
    }

    static void assertClose(float[] expected, float[] actual, double tolerance, String what) {
        assertEquals(expected.length, actual.length, what + " length");
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
        }
        assertTrue(worst <= tolerance, what + ": max abs diff " + worst + " > " + tolerance);
    }
}
