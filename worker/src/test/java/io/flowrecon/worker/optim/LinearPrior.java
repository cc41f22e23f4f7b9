package io.flowrecon.worker.optim;

import java.util.SplittableRandom;

/**
 * The linear invertible generator of the paper's Theorem 1 (Asim et al. 2020, Sec. 3): G = U diag(s) V^T with
 * random orthogonal U, V and decaying singular values s; with a Gaussian A it gives the CS objective
 * ||A G z - y||^2 whose gradient-descent limit from z0 = 0 is the minimum-norm solution.
 */
public final class LinearPrior {

    public final int n;
    public final double[] singularValues;
    public final double[][] matrix; // G, n x n

    public LinearPrior(int n, double decay, long seed) {
        this.n = n;
        this.singularValues = new double[n];
        for (int i = 0; i < n; i++) {
            singularValues[i] = Math.pow(decay, i);
        }
        SplittableRandom random = new SplittableRandom(seed);
        double[][] u = randomOrthogonal(n, random);
        double[][] v = randomOrthogonal(n, random);
        matrix = new double[n][n];
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < n; c++) {
                double sum = 0;
                for (int k = 0; k < n; k++) {
                    sum += u[r][k] * singularValues[k] * v[c][k];
                }
                matrix[r][c] = sum;
            }
        }
    }

    /** sum_{i > m} s_i^2 (1-based i): the paper's lower bound on the expected squared error. */
    public double lowerBound(int m) {
        return tailEnergy(m);
    }

    /** m * sum_{i > m - 2} s_i^2: the paper's upper bound. */
    public double upperBound(int m) {
        return m * tailEnergy(m - 2);
    }

    private double tailEnergy(int from) {
        double sum = 0;
        for (int i = Math.max(0, from); i < n; i++) {
            sum += singularValues[i] * singularValues[i];
        }
        return sum;
    }

    static double[][] gaussian(int rows, int cols, double std, SplittableRandom random) {
        double[][] a = new double[rows][cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                a[r][c] = std * random.nextGaussian();
            }
        }
        return a;
    }

    public static double[][] multiply(double[][] a, double[][] b) {
        double[][] out = new double[a.length][b[0].length];
        for (int r = 0; r < a.length; r++) {
            for (int k = 0; k < b.length; k++) {
                double ark = a[r][k];
                for (int c = 0; c < b[0].length; c++) {
                    out[r][c] += ark * b[k][c];
                }
            }
        }
        return out;
    }

    public static double[] apply(double[][] a, double[] x) {
        double[] y = new double[a.length];
        for (int r = 0; r < a.length; r++) {
            double sum = 0;
            for (int c = 0; c < x.length; c++) {
                sum += a[r][c] * x[c];
            }
            y[r] = sum;
        }
        return y;
    }

    /** z = B^T (B B^T)^-1 y, the minimum-norm solution of B z = y for a full-row-rank m x n matrix B. */
    public static double[] minimumNormSolution(double[][] b, double[] y) {
        int m = b.length;
        int n = b[0].length;
        double[][] gram = new double[m][m + 1];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < m; j++) {
                double sum = 0;
                for (int k = 0; k < n; k++) {
                    sum += b[i][k] * b[j][k];
                }
                gram[i][j] = sum;
            }
            gram[i][m] = y[i];
        }
        double[] w = solve(gram);
        double[] z = new double[n];
        for (int k = 0; k < n; k++) {
            for (int i = 0; i < m; i++) {
                z[k] += b[i][k] * w[i];
            }
        }
        return z;
    }

    /** Gaussian elimination with partial pivoting on an augmented m x (m + 1) system. */
    private static double[] solve(double[][] aug) {
        int m = aug.length;
        for (int col = 0; col < m; col++) {
            int pivot = col;
            for (int r = col + 1; r < m; r++) {
                if (Math.abs(aug[r][col]) > Math.abs(aug[pivot][col])) {
                    pivot = r;
                }
            }
            double[] tmp = aug[col];
            aug[col] = aug[pivot];
            aug[pivot] = tmp;
            for (int r = col + 1; r < m; r++) {
                double factor = aug[r][col] / aug[col][col];
                for (int c = col; c <= m; c++) {
                    aug[r][c] -= factor * aug[col][c];
                }
            }
        }
        double[] x = new double[m];
        for (int r = m - 1; r >= 0; r--) {
            double sum = aug[r][m];
            for (int c = r + 1; c < m; c++) {
                sum -= aug[r][c] * x[c];
            }
            x[r] = sum / aug[r][r];
        }
        return x;
    }

    /** Gram-Schmidt on a Gaussian matrix: Haar-distributed orthogonal columns. */
    private static double[][] randomOrthogonal(int n, SplittableRandom random) {
        double[][] q = gaussian(n, n, 1, random);
        for (int c = 0; c < n; c++) {
            for (int p = 0; p < c; p++) {
                double dot = 0;
                for (int r = 0; r < n; r++) {
                    dot += q[r][c] * q[r][p];
                }
                for (int r = 0; r < n; r++) {
                    q[r][c] -= dot * q[r][p];
                }
            }
            double norm = 0;
            for (int r = 0; r < n; r++) {
                norm += q[r][c] * q[r][c];
            }
            norm = Math.sqrt(norm);
            for (int r = 0; r < n; r++) {
                q[r][c] /= norm;
            }
        }
        return q;
    }
}
