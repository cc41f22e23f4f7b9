package io.flowrecon.shared.operator;

import io.flowrecon.shared.job.ImageShape;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class SubsampledDctOperatorTest {

    @Test
    void rowsAreOrthogonalWithNormNOverM() {
        ImageShape shape = new ImageShape(3, 8, 12);
        int m = 100;
        SubsampledDctOperator op = new SubsampledDctOperator(shape, m, 4);
        double ratio = (double) shape.size() / m;
        SplittableRandom random = new SplittableRandom(5);
        for (int trial = 0; trial < 3; trial++) {
            float[] y = DotProductCheck.gaussian(random, m);
            float[] x = new float[shape.size()];
            float[] back = new float[m];
            op.adjoint(y, x);
            op.apply(x, back);
            // A A^T y = (n/m) y; two float DCTs of 96 values: relative error ~1e-6, tolerance 1e-5.
            for (int k = 0; k < m; k++) {
                assertEquals(ratio * y[k], back[k], 1e-5 * ratio * (1 + Math.abs(y[k])));
            }
        }
    }

    @Test
    void selectedIndicesAreDistinctAndSeedDetermined() {
        ImageShape shape = new ImageShape(1, 16, 16);
        int[] selected = new SubsampledDctOperator(shape, 200, 1).selectedIndices();
        assertEquals(200, Arrays.stream(selected).distinct().count());
        assertArrayEquals(selected, new SubsampledDctOperator(shape, 200, 1).selectedIndices());
        assertEquals(false, Arrays.equals(selected, new SubsampledDctOperator(shape, 200, 2).selectedIndices()));
    }

    @Test
    void fullSamplingIsAnOrthogonalMap() {
        // m = n: A = C D is orthogonal, so ||A x|| = ||x||.
        ImageShape shape = new ImageShape(2, 5, 7);
        SubsampledDctOperator op = new SubsampledDctOperator(shape, shape.size(), 3);
        float[] x = DotProductCheck.gaussian(new SplittableRandom(8), shape.size());
        float[] y = new float[shape.size()];
        op.apply(x, y);
        assertEquals(DotProductCheck.dot(x, x), DotProductCheck.dot(y, y), 1e-5 * DotProductCheck.dot(x, x));
    }
}
