package io.flowrecon.worker.solve.lasso;

/** The orthonormal 2-D DCT-II basis from its formula, in double, as an independent reference. */
final class DctBasis {

    private DctBasis() {
    }

    /** 1-D orthonormal DCT-II matrix: C[k][i] = alpha_k cos(pi (2i + 1) k / 2N). */
    static double[][] dct1d(int size) {
        double[][] c = new double[size][size];
        for (int k = 0; k < size; k++) {
            double alpha = Math.sqrt((k == 0 ? 1.0 : 2.0) / size);
            for (int i = 0; i < size; i++) {
                c[k][i] = alpha * Math.cos(Math.PI * (2 * i + 1) * k / (2.0 * size));
            }
        }
        return c;
    }

    /** Image of each coefficient (row-major H x W index j = k1 * W + k2): Psi^T e_j = outer(C_H[k1], C_W[k2]). */
    static double[][] inverseBasis(int height, int width) {
        double[][] ch = dct1d(height);
        double[][] cw = dct1d(width);
        double[][] basis = new double[height * width][height * width];
        for (int k1 = 0; k1 < height; k1++) {
            for (int k2 = 0; k2 < width; k2++) {
                double[] image = basis[k1 * width + k2];
                for (int i1 = 0; i1 < height; i1++) {
                    for (int i2 = 0; i2 < width; i2++) {
                        image[i1 * width + i2] = ch[k1][i1] * cw[k2][i2];
                    }
                }
            }
        }
        return basis;
    }
}
