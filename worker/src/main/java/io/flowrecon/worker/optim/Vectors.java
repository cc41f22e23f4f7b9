package io.flowrecon.worker.optim;

/** The few BLAS-1 operations the optimisers need; float storage, double accumulation. */
final class Vectors {

    private Vectors() {
    }

    static double dot(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += (double) a[i] * b[i];
        }
        return sum;
    }

    /** y += alpha * x. */
    static void axpy(double alpha, float[] x, float[] y) {
        for (int i = 0; i < y.length; i++) {
            y[i] = (float) (y[i] + alpha * x[i]);
        }
    }

    static double maxAbs(float[] a) {
        double max = 0;
        for (float v : a) {
            max = Math.max(max, Math.abs(v));
        }
        return max;
    }

    static double sumAbs(float[] a) {
        double sum = 0;
        for (float v : a) {
            sum += Math.abs(v);
        }
        return sum;
    }

    static boolean allFinite(float[] a) {
        for (float v : a) {
            if (!Float.isFinite(v)) {
                return false;
            }
        }
        return true;
    }
}
