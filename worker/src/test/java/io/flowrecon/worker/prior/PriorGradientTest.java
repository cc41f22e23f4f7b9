package io.flowrecon.worker.prior;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.flowrecon.adjoint.AdjointBuilder;
import io.flowrecon.adjoint.onnx.GraphBuilder;
import io.flowrecon.adjoint.onnx.proto.ModelProto;
import io.flowrecon.shared.prior.BatchSize;
import io.flowrecon.shared.prior.DcganArchitecture;
import io.flowrecon.shared.prior.DcganGraphs;
import io.flowrecon.shared.prior.DcganWeights;
import io.flowrecon.shared.prior.GlowArchitecture;
import io.flowrecon.shared.prior.GlowGraphs;
import io.flowrecon.shared.prior.GlowWeights;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The written generators are graphs the adjoint builder differentiates (every operator has a rule), and the
 * gradient of sum(G(z)) agrees with central differences along a random direction.
 */
class PriorGradientTest {

    @Test
    void glowGeneratorGradientMatchesFiniteDifferences() throws Exception {
        GlowArchitecture arch = new GlowArchitecture(1, 28, 2, 2, 16);
        check(GlowGraphs.generator(GlowWeights.random(arch, 2), BatchSize.symbolic()), arch.latentSize());
    }

    @Test
    void dcganGeneratorGradientMatchesFiniteDifferences() throws Exception {
        DcganArchitecture arch = new DcganArchitecture(1, 28, 16, 8);
        check(DcganGraphs.generator(DcganWeights.random(arch, 2), BatchSize.symbolic()), arch.latent());
    }

    private static void check(ModelProto generator, int n) throws Exception {
        ModelProto pinned = GraphBuilder.from(generator, Map.of("z", new long[] {1, n})).build();
        ModelProto withGradient = AdjointBuilder.standard().differentiate(pinned, "x", List.of("z"));
        Random random = new Random(6);
        float[] z = new float[n];
        float[] u = new float[n];
        for (int i = 0; i < n; i++) {
            z[i] = (float) (0.7 * random.nextGaussian());
            u[i] = (float) random.nextGaussian();
        }
        double norm = 0;
        for (float v : u) {
            norm += v * v;
        }
        for (int i = 0; i < n; i++) {
            u[i] /= (float) Math.sqrt(norm); // a unit direction: the step moves z by exactly `step`
        }
        double step = 1e-3;
        float[] plus = new float[n];
        float[] minus = new float[n];
        for (int i = 0; i < n; i++) {
            plus[i] = (float) (z[i] + step * u[i]);
            minus[i] = (float) (z[i] - step * u[i]);
        }
        try (GraphRunner g = new GraphRunner(withGradient)) {
            float[] gradient = g.run("z", z, 1, n).get("grad_z");
            double analytic = 0;
            for (int i = 0; i < n; i++) {
                analytic += (double) gradient[i] * u[i];
            }
            double numeric = (sum(g.run("z", plus, 1, n).get("x")) - sum(g.run("z", minus, 1, n).get("x")))
                    / (2 * step);
            System.out.printf("d/du sum G(z): adjoint %.6f, central difference %.6f%n", analytic, numeric);
            // step 1e-3 along a unit direction: float32 roundoff of sum G (~1e-6) / 2e-3 gives ~5e-4, truncation
            // and a ReLU kink crossed by the step about as much (measured: 1e-3 relative); a wrong or missing
            // rule is off by far more than 1%
            assertEquals(analytic, numeric, 0.01 * Math.abs(analytic) + 1e-3, "directional derivative");
        }
    }

    private static double sum(float[] values) {
        double s = 0;
        for (float v : values) {
            s += v;
        }
        return s;
    }
}
