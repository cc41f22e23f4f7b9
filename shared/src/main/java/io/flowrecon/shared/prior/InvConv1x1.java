package io.flowrecon.shared.prior;

import java.util.Arrays;
import java.util.Random;

/**
 * An invertible 1x1 convolution in the LU form of Kingma &amp; Dhariwal (2018), section 3.2:
 * W = P L (U + diag(s)), with s = sign(s) * exp(log|s|), so that log|det W| = sum log|s| is cheap and exact.
 * Training updates L, U and log|s|; P and sign(s) stay fixed. The encoder convolves with W, the generator with
 * W^-1, both composed here in double precision and written to the graph as float.
 *
 * @param channels     c
 * @param permutation  P as a row map: row i of L (U + diag(s)) is row {@code permutation[i]} of W
 * @param lower        L as [c][c] row-major; only the strict lower triangle is read (unit diagonal implied)
 * @param upper        U as [c][c] row-major; only the strict upper triangle is read
 * @param logAbsS      log|s|, [c]
 * @param signS        sign(s), [c], each +1 or -1
 */
public record InvConv1x1(int channels, int[] permutation, float[] lower, float[] upper, float[] logAbsS,
                         float[] signS) {

    public InvConv1x1 {
        if (channels < 1) {
            throw new IllegalArgumentException("invertible 1x1 conv: channels must be positive, got " + channels);
        }
        if (permutation == null || permutation.length != channels) {
            throw new IllegalArgumentException("invertible 1x1 conv: permutation must have " + channels + " entries");
        }
        boolean[] seen = new boolean[channels];
        for (int p : permutation) {
            if (p < 0 || p >= channels || seen[p]) {
                throw new IllegalArgumentException("invertible 1x1 conv: permutation must hold each of 0.."
                        + (channels - 1) + " once, got " + Arrays.toString(permutation));
            }
            seen[p] = true;
        }
        Layouts.requireLength("invertible 1x1 conv lower", lower, (long) channels * channels);
        Layouts.requireLength("invertible 1x1 conv upper", upper, (long) channels * channels);
        Layouts.requireLength("invertible 1x1 conv logAbsS", logAbsS, channels);
        Layouts.requireLength("invertible 1x1 conv signS", signS, channels);
        for (float s : signS) {
            if (s != 1f && s != -1f) {
                throw new IllegalArgumentException("invertible 1x1 conv: signS entries must be +1 or -1, got " + s);
            }
        }
    }

    /** W, [c][c] row-major (out channel, in channel): the encoder's 1x1 kernel. */
    public double[] weight() {
        int c = channels;
        double[] lu = new double[c * c];
        for (int i = 0; i < c; i++) {
            for (int j = 0; j < c; j++) {
                double sum = 0;
                // (L U')[i][j] = sum_k L[i][k] U'[k][j], L unit lower, U' upper with diagonal s
                for (int k = 0; k <= Math.min(i, j); k++) {
                    double l = k == i ? 1 : lower[i * c + k];
                    double u = k == j ? s(k) : upper[k * c + j];
                    sum += l * u;
                }
                lu[i * c + j] = sum;
            }
        }
        double[] w = new double[c * c];
        for (int i = 0; i < c; i++) {
            System.arraycopy(lu, i * c, w, permutation[i] * c, c);
        }
        return w;
    }

    /** W^-1, [c][c] row-major: the generator's 1x1 kernel, by solving with the triangular factors. */
    public double[] inverse() {
        int c = channels;
        double[] inv = new double[c * c];
        double[] y = new double[c];
        for (int col = 0; col < c; col++) {
            // W x = e_col  <=>  L U' x = P^T e_col: row i of the permuted system is row permutation[i] of W
            for (int i = 0; i < c; i++) {
                double b = permutation[i] == col ? 1 : 0;
                for (int k = 0; k < i; k++) {
                    b -= lower[i * c + k] * y[k];
                }
                y[i] = b;
            }
            for (int i = c - 1; i >= 0; i--) {
                double b = y[i];
                for (int k = i + 1; k < c; k++) {
                    b -= upper[i * c + k] * inv[k * c + col];
                }
                inv[i * c + col] = b / s(i);
            }
        }
        return inv;
    }

    /** log|det W| = sum log|s|: the per-pixel log-determinant of the encoder's 1x1 conv. */
    public double logAbsDet() {
        double sum = 0;
        for (float v : logAbsS) {
            sum += v;
        }
        return sum;
    }

    private double s(int k) {
        return signS[k] * Math.exp(logAbsS[k]);
    }

    /**
     * A random rotation (Glow's initialisation: QR of a Gaussian matrix), factorised with partial pivoting, with
     * log|s| then perturbed by N(0, logScaleStd^2) so that det W != +-1 and the log-determinant is exercised.
     */
    static InvConv1x1 random(int c, double logScaleStd, Random random) {
        double[] a = new double[c * c];
        for (int i = 0; i < a.length; i++) {
            a[i] = random.nextGaussian();
        }
        orthonormaliseColumns(a, c);
        int[] piv = new int[c];
        for (int i = 0; i < c; i++) {
            piv[i] = i;
        }
        // Doolittle with partial pivoting: A[piv[i]] = (L U)[i], L stored below the diagonal of a, U on and above.
        for (int k = 0; k < c; k++) {
            int p = k;
            for (int i = k + 1; i < c; i++) {
                if (Math.abs(a[i * c + k]) > Math.abs(a[p * c + k])) {
                    p = i;
                }
            }
            if (p != k) {
                for (int j = 0; j < c; j++) {
                    double t = a[k * c + j];
                    a[k * c + j] = a[p * c + j];
                    a[p * c + j] = t;
                }
                int t = piv[k];
                piv[k] = piv[p];
                piv[p] = t;
            }
            for (int i = k + 1; i < c; i++) {
                double f = a[i * c + k] / a[k * c + k];
                a[i * c + k] = f;
                for (int j = k + 1; j < c; j++) {
                    a[i * c + j] -= f * a[k * c + j];
                }
            }
        }
        float[] lower = new float[c * c];
        float[] upper = new float[c * c];
        float[] logAbsS = new float[c];
        float[] signS = new float[c];
        for (int i = 0; i < c; i++) {
            for (int j = 0; j < c; j++) {
                if (j < i) {
                    lower[i * c + j] = (float) a[i * c + j];
                } else if (j > i) {
                    upper[i * c + j] = (float) a[i * c + j];
                }
            }
            double d = a[i * c + i];
            logAbsS[i] = (float) (Math.log(Math.abs(d)) + logScaleStd * random.nextGaussian());
            signS[i] = d < 0 ? -1f : 1f;
        }
        return new InvConv1x1(c, piv, lower, upper, logAbsS, signS);
    }

    /** Modified Gram-Schmidt on the columns of a c x c row-major matrix (full rank with probability 1). */
    private static void orthonormaliseColumns(double[] a, int c) {
        for (int j = 0; j < c; j++) {
            for (int k = 0; k < j; k++) {
                double dot = 0;
                for (int i = 0; i < c; i++) {
                    dot += a[i * c + j] * a[i * c + k];
                }
                for (int i = 0; i < c; i++) {
                    a[i * c + j] -= dot * a[i * c + k];
                }
            }
            double norm = 0;
            for (int i = 0; i < c; i++) {
                norm += a[i * c + j] * a[i * c + j];
            }
            norm = Math.sqrt(norm);
            for (int i = 0; i < c; i++) {
                a[i * c + j] /= norm;
            }
        }
    }
}
