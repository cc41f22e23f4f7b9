package io.flowrecon.api.model.validate;

import io.flowrecon.adjoint.AdjointBuilder;
import io.flowrecon.adjoint.check.AdjointCheck;
import io.flowrecon.adjoint.check.OrtRunner;
import io.flowrecon.adjoint.onnx.GraphBuilder;
import io.flowrecon.adjoint.onnx.proto.ModelProto;
import io.flowrecon.shared.image.Png;
import io.flowrecon.shared.image.SampleGrid;
import io.flowrecon.shared.model.ModelCard;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * The checks that run the generator in ONNX Runtime, on a small batch with the batch dimension pinned as the
 * worker pins it: samples G(z) of a few z ~ N(0, I) lie in the declared value range, and the reverse pass the
 * adjoint builds agrees with the forward pass: &lt;J v, w&gt; by central differences against &lt;v, J^T w&gt;
 * for random v and w (AdjointCheck: the dot-product test of the adjoint against a finite-difference
 * Jacobian), the median over a few directions.
 */
public final class NumericChecks {

    public static final int BATCH = 2;
    public static final int SAMPLES = 4;
    public static final int DIRECTIONS = 5;
    public static final int GRID_SAMPLES = 16;
    /**
     * Outside the range by more than this fraction of its width is a violation: a Tanh or Sigmoid head
     * reaches its bounds only up to float32 rounding, while a missing output activation overshoots by O(1).
     */
    public static final double RANGE_TOLERANCE = 1e-3;
    /**
     * Central differences in float32 are exact only where no ReLU input crosses zero within the step; each
     * crossing costs O(h) of that element's slope. Measured (median over the directions): smooth Glow graphs
     * ~1e-3, a random DCGAN 2e-3 .. 1.1e-2, the torch-exported Deep Decoder of the adjoint's fixtures (16k ReLUs
     * on its last maps) 4e-2, whose reverse pass agrees with torch autograd to 4e-7. A wrong reverse rule (a
     * sign, a missing factor or layer) is off by O(1), so this catches gross errors only; the adjoint module's
     * tests pin the rules precisely.
     */
    public static final double GRADIENT_TOLERANCE = 0.2;

    private final AdjointBuilder adjoint;

    public NumericChecks(AdjointBuilder adjoint) {
        this.adjoint = adjoint;
    }

    /** @throws ModelRejectedException naming the check that failed and by how much */
    public void run(GraphFacts facts, ModelCard.ValueRange range) throws ModelRejectedException {
        checkRange(facts, range);
        checkGradient(facts);
    }

    /**
     * A grid of {@value #GRID_SAMPLES} samples G(z), z ~ N(0, temperature^2 I), mapped from the declared value
     * range to [0, 1], as PNG: what the model card shows of a prior.
     */
    public byte[] sampleGrid(GraphFacts facts, ModelCard.ValueRange range, double temperature)
            throws ModelRejectedException {
        float[] x = samples(facts, GRID_SAMPLES, temperature, 5);
        double width = range.high() - range.low();
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) ((x[i] - range.low()) / width);
        }
        return Png.encode(SampleGrid.tile(x, GRID_SAMPLES, facts.shape()));
    }

    private float[] samples(GraphFacts facts, int count, double temperature, long seed) throws ModelRejectedException {
        ModelProto pinned = pinned(facts, count);
        float[] z = gaussian(new Random(seed), count * facts.latent());
        for (int i = 0; i < z.length; i++) {
            z[i] *= (float) temperature;
        }
        try (OrtRunner ort = new OrtRunner(pinned)) {
            return ort.run(Map.of(facts.latentInput(), z), Map.of(facts.latentInput(), new long[] {count, facts.latent()}),
                    List.of(facts.imageOutput())).get(facts.imageOutput());
        } catch (Exception e) {
            throw new ModelRejectedException("ONNX Runtime cannot run generator.onnx: " + e.getMessage(), e);
        }
    }

    private void checkRange(GraphFacts facts, ModelCard.ValueRange range) throws ModelRejectedException {
        float[] x = samples(facts, SAMPLES, 1.0, 7);
        double low = Double.POSITIVE_INFINITY;
        double high = Double.NEGATIVE_INFINITY;
        for (float v : x) {
            if (!Float.isFinite(v)) {
                throw new ModelRejectedException("samples G(z) of z ~ N(0, I) hold " + v + " values");
            }
            low = Math.min(low, v);
            high = Math.max(high, v);
        }
        double slack = RANGE_TOLERANCE * (range.high() - range.low());
        if (low < range.low() - slack || high > range.high() + slack) {
            throw new ModelRejectedException(String.format(Locale.ROOT,
                    "samples G(z) of %d z ~ N(0, I) span [%.4g, %.4g], outside the declared valueRange [%s, %s] "
                            + "(tolerance %.1g of its width); declare the range the output activation gives",
                    SAMPLES, low, high, range.low(), range.high(), RANGE_TOLERANCE));
        }
    }

    private void checkGradient(GraphFacts facts) throws ModelRejectedException {
        ModelProto pinned = pinned(facts, BATCH);
        double[] errors = new double[DIRECTIONS];
        for (int trial = 0; trial < DIRECTIONS; trial++) {
            Random random = new Random(11 + trial);
            float[] z = gaussian(random, BATCH * facts.latent());
            AdjointCheck check = new AdjointCheck(pinned, facts.imageOutput(), List.of(facts.latentInput()),
                    Map.of(facts.latentInput(), z), adjoint, random);
            try {
                errors[trial] = check.finiteDifferenceError();
            } catch (UnsupportedOperationException | IllegalArgumentException e) {
                throw new ModelRejectedException("the reverse pass of generator.onnx cannot be built: " + e.getMessage(), e);
            } catch (Exception e) {
                throw new ModelRejectedException("the gradient check failed to run: " + e.getMessage(), e);
            }
        }
        Arrays.sort(errors);
        double median = errors[DIRECTIONS / 2];
        if (!(median <= GRADIENT_TOLERANCE)) {
            throw new ModelRejectedException(String.format(Locale.ROOT,
                    "gradient check: <J v, w> by central differences and <v, J^T w> by the adjoint differ by %.3g "
                            + "(median relative error over %d directions; tolerance %.1g)",
                    median, DIRECTIONS, GRADIENT_TOLERANCE));
        }
    }

    private ModelProto pinned(GraphFacts facts, int batch) throws ModelRejectedException {
        try {
            return GraphBuilder.from(facts.model(), Map.of(facts.latentInput(), new long[] {batch, facts.latent()}),
                    adjoint.operators().shapeInference()).build();
        } catch (RuntimeException e) {
            throw new ModelRejectedException("generator.onnx does not take a batch of " + batch + ": " + e.getMessage(), e);
        }
    }

    private static float[] gaussian(Random random, int count) {
        float[] v = new float[count];
        for (int i = 0; i < count; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return v;
    }
}
