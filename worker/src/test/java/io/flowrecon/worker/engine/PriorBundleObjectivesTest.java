package io.flowrecon.worker.engine;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowrecon.adjoint.AdjointBuilder;
import io.flowrecon.shared.operator.GaussianOperator;
import io.flowrecon.shared.operator.MeasurementOperator;
import io.flowrecon.shared.prior.DcganArchitecture;
import io.flowrecon.shared.prior.DcganWeights;
import io.flowrecon.shared.prior.GlowArchitecture;
import io.flowrecon.shared.prior.GlowWeights;
import io.flowrecon.shared.prior.PriorBundles;
import io.flowrecon.shared.prior.PriorCardInfo;
import io.flowrecon.worker.runtime.RuntimeConfig;
import io.flowrecon.worker.runtime.SessionFactory;
import java.nio.file.Path;
import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The objective graph on the real prior builders' graphs (random weights), through their bundles. */
class PriorBundleObjectivesTest {

    @TempDir
    Path dir;

    @Test
    void glowAndDcganObjectivesHaveGradientsThatMatchFiniteDifferences() throws Exception {
        Instant fixed = Instant.parse("2026-01-01T00:00:00Z");
        PriorBundles.writeGlow(dir.resolve("glow"), GlowWeights.random(new GlowArchitecture(3, 8, 2, 1, 8), 1),
                PriorCardInfo.randomInit("test-glow", 1, fixed));
        PriorBundles.writeDcgan(dir.resolve("dcgan"), DcganWeights.random(new DcganArchitecture(3, 16, 20, 8), 1),
                PriorCardInfo.randomInit("test-dcgan", 1, fixed));
        SessionFactory factory = SessionFactory.create(RuntimeConfig.cpu(1));
        for (String name : new String[] {"glow", "dcgan"}) {
            Prior prior = Prior.fromBundle(dir.resolve(name));
            int n = prior.shape().size();
            MeasurementOperator operator = new GaussianOperator(n / 3, n, 4);
            SplittableRandom random = new SplittableRandom(6);
            float[] z = ToyPriors.gaussian(random, 2 * prior.latent(), 0.7);
            try (ObjectiveSession session = ObjectiveSession.open(factory, prior, OperatorGraph.of(operator, prior.shape()), 2, 0.01,
                    AdjointBuilder.standard())) {
                float[] images;
                try (BoundObjective probe = session.bind(new float[2][operator.rows()])) {
                    images = probe.images(z).values();
                }
                // Measurements near A G(z) keep the float32 loss small against its round-off.
                float[][] y = new float[2][operator.rows()];
                for (int b = 0; b < 2; b++) {
                    operator.apply(java.util.Arrays.copyOfRange(images, b * n, (b + 1) * n), y[b]);
                    for (int k = 0; k < y[b].length; k++) {
                        y[b][k] += (float) (0.05 * random.nextGaussian());
                    }
                }
                try (BoundObjective objective = session.bind(y)) {
                    double error = GradientCheck.worstRelativeError(objective, z, 3, random);
                    // ReLU kinks make float32 central differences erratic (measured up to ~1e-2 on a 64x64 DCGAN);
                    // a wrong reverse rule gives errors of order 1.
                    assertTrue(error < 3e-2, name + ": relative error " + error);
                }
            }
        }
    }
}
