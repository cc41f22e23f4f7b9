package io.flowrecon.trainer.dcgan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.flowrecon.shared.job.ImageShape;
import io.flowrecon.shared.prior.BatchSize;
import io.flowrecon.shared.prior.DcganArchitecture;
import io.flowrecon.shared.prior.DcganGraphs;
import io.flowrecon.shared.prior.DcganWeights;
import io.flowrecon.trainer.data.ImageDataset;
import io.flowrecon.trainer.optim.Adam;
import java.nio.FloatBuffer;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

class DcganModelTest {
    /** 16x16: projection to 4x4, two upsamplings; narrow so that the test takes seconds. */
    static final DcganArchitecture TINY = new DcganArchitecture(1, 16, 8, 4);

    /**
     * The exported generator must compute what SameDiff trains, running statistics included. float32 through
     * a Gemm, 2 ConvTransposes and BNs: 1e-4 absolute on outputs in [0, 1] (verify's bound).
     */
    @Test
    void onnxGeneratorOfTrainedWeightsAgreesWithSameDiff() throws Exception {
        DcganTrainer trainer = new DcganTrainer(TINY, settings(), toyData(32, 1));
        for (int t = 0; t < 3; t++) {
            trainer.trainStep();
        }
        DcganWeights w = trainer.model().weights();
        // running statistics moved away from (0, 1), so the inference path is really exercised
        assertTrue(Math.abs(w.projectionNorm().mean()[0]) > 1e-3, "running mean " + w.projectionNorm().mean()[0]);
        int batch = 3;
        float[] z = new float[batch * TINY.latent()];
        Random random = new Random(4);
        for (int i = 0; i < z.length; i++) {
            z[i] = (float) random.nextGaussian();
        }
        float[] sd = trainer.model().generate(Nd4j.create(z, new long[] {batch, TINY.latent()}, 'c'))
                .dup('c').data().asFloat();
        float[] onnx = runOnnx(DcganGraphs.generator(w, BatchSize.of(batch)), z, batch);
        assertEquals(onnx.length, sd.length);
        double worst = 0;
        for (int i = 0; i < sd.length; i++) {
            worst = Math.max(worst, Math.abs(sd[i] - onnx[i]));
        }
        assertTrue(worst <= 1e-4, "max abs diff " + worst);
    }

    @Test
    void discriminatorLearnsToTellRealFromFakeEarlyOn() {
        DcganTrainer trainer = new DcganTrainer(TINY, settings(), toyData(64, 2));
        DcganTrainer.Losses first = trainer.trainStep();
        double lastFive = 0;
        for (int t = 1; t < 30; t++) {
            DcganTrainer.Losses losses = trainer.trainStep();
            if (t >= 25) {
                lastFive += losses.discriminator() / 5;
            }
        }
        System.out.println("dcgan toy: first " + first + ", mean discriminator loss of steps 25-29 " + lastFive);
        // At the start D outputs ~0.5 on everything: loss 2 ln 2 = 1.386. Within 30 steps of Adam(2e-4) on
        // clearly different real images it must separate them (measured: 1.30 -> 1.13 with these seeds);
        // averaging 5 steps smooths the GAN's jitter.
        assertEquals(2 * Math.log(2), first.discriminator(), 0.3);
        assertTrue(lastFive < first.discriminator() - 0.1, first + " -> " + lastFive);
    }

    @Test
    void resumedRunReproducesTheUninterruptedLosses(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        ImageDataset data = toyData(20, 3);
        DcganTrainer uninterrupted = new DcganTrainer(TINY, settings(), data);
        java.util.List<DcganTrainer.Losses> expected = new java.util.ArrayList<>();
        for (int t = 0; t < 4; t++) {
            expected.add(uninterrupted.trainStep());
        }
        DcganTrainer first = new DcganTrainer(TINY, settings(), data);
        first.trainStep();
        first.trainStep();
        DcganCheckpoints.save(dir, first, data.name(), 0);
        DcganTrainer resumed = DcganCheckpoints.resume(dir, data);
        assertEquals(2, resumed.step());
        // same arrays, moments, running statistics, batches and z on one thread: bit-identical losses
        assertEquals(expected.get(2), resumed.trainStep());
        assertEquals(expected.get(3), resumed.trainStep());
    }

    static DcganTrainer.Settings settings() {
        return new DcganTrainer.Settings(8, 7, DcganTrainer.Settings.radfordAdam());
    }

    static ImageDataset toyData(int count, long seed) {
        Random random = new Random(seed);
        ImageShape shape = new ImageShape(1, 16, 16);
        byte[] pixels = new byte[count * shape.size()];
        for (int i = 0; i < count; i++) {
            int top = random.nextInt(8);
            int left = random.nextInt(8);
            for (int y = top; y < top + 8; y++) {
                for (int x = left; x < left + 8; x++) {
                    pixels[i * shape.size() + y * 16 + x] = (byte) 230;
                }
            }
        }
        return new ImageDataset("toy-squares", shape, pixels, null);
    }

    private static float[] runOnnx(io.flowrecon.adjoint.onnx.proto.ModelProto model, float[] z, int batch)
            throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            try (OrtSession session = env.createSession(model.toByteArray(), options);
                 OnnxTensor tensor = OnnxTensor.createTensor(env, FloatBuffer.wrap(z), new long[] {batch, TINY.latent()});
                 OrtSession.Result result = session.run(Map.of(DcganGraphs.LATENT, tensor))) {
                FloatBuffer out = ((OnnxTensor) result.get(DcganGraphs.IMAGE).get()).getFloatBuffer();
                float[] flat = new float[out.remaining()];
                out.get(flat);
                return flat;
            }
        }
    }
}
