package io.flowrecon.shared.prior;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class InvConv1x1Test {

    @Test
    void inverseComposedFromTheFactorsInvertsTheWeight() {
        for (int c : new int[] {1, 4, 12, 48}) {
            InvConv1x1 conv = InvConv1x1.random(c, 0.1, new Random(c));
            double[] product = multiply(conv.weight(), conv.inverse(), c);
            for (int i = 0; i < c; i++) {
                for (int j = 0; j < c; j++) {
                    // both sides are exact compositions in double of the same float factors: only roundoff
                    assertEquals(i == j ? 1 : 0, product[i * c + j], 1e-10, "c=" + c + " at " + i + "," + j);
                }
            }
        }
    }

    @Test
    void logAbsDetEqualsTheDeterminantOfTheComposedWeight() {
        InvConv1x1 conv = InvConv1x1.random(12, 0.1, new Random(3));
        double expected = logAbsDet(conv.weight(), 12);
        // the LU log|det| is a plain sum; elimination on W is independent; both in double
        assertEquals(expected, conv.logAbsDet(), 1e-9);
        assertTrue(Math.abs(expected) > 1e-3, "the perturbed log|s| must make det W differ from +-1");
    }

    @Test
    void aPermutationWithRepeatsIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new InvConv1x1(2,
                new int[] {0, 0}, new float[4], new float[4], new float[2], new float[] {1, 1}));
        assertTrue(e.getMessage().contains("permutation"), e.getMessage());
    }

    private static double[] multiply(double[] a, double[] b, int c) {
        double[] out = new double[c * c];
        for (int i = 0; i < c; i++) {
            for (int k = 0; k < c; k++) {
                for (int j = 0; j < c; j++) {
                    out[i * c + j] += a[i * c + k] * b[k * c + j];
                }
            }
        }
        return out;
    }

    /** Gaussian elimination with partial pivoting, written out here so it is independent of the LU code. */
    private static double logAbsDet(double[] m, int c) {
        double[] a = m.clone();
        double sum = 0;
        for (int k = 0; k < c; k++) {
            int p = k;
            for (int i = k + 1; i < c; i++) {
                if (Math.abs(a[i * c + k]) > Math.abs(a[p * c + k])) {
                    p = i;
                }
            }
            for (int j = 0; j < c; j++) {
                double t = a[k * c + j];
                a[k * c + j] = a[p * c + j];
                a[p * c + j] = t;
            }
            sum += Math.log(Math.abs(a[k * c + k]));
            for (int i = k + 1; i < c; i++) {
                double f = a[i * c + k] / a[k * c + k];
                for (int j = k; j < c; j++) {
                    a[i * c + j] -= f * a[k * c + j];
                }
            }
        }
        return sum;
    }
}
