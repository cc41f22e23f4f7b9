package io.flowrecon.worker.optim;

/** Small closed-form batch objectives for the optimiser tests. */
final class TestObjectives {

    private TestObjectives() {
    }

    /** The evaluation of one row: loss into {@code loss[0]}, gradient into {@code gradient}. */
    interface Row {
        void evaluate(float[] z, double[] loss, float[] gradient);
    }

    /** A batch of one image of {@code dimension} latents. */
    static BatchObjective single(int dimension, Row row) {
        return new BatchObjective() {
            public int batch() {
                return 1;
            }

            public int dimension() {
                return dimension;
            }

            public void evaluate(float[] z, double[] losses, float[] gradients) {
                row.evaluate(z, losses, gradients);
            }
        };
    }

    /** Rosenbrock in 2 dimensions per row, minimum 0 at (1, 1); counts evaluations per call. */
    static BatchObjective rosenbrock(int batch) {
        return new BatchObjective() {
            public int batch() {
                return batch;
            }

            public int dimension() {
                return 2;
            }

            public void evaluate(float[] z, double[] losses, float[] gradients) {
                for (int b = 0; b < batch; b++) {
                    double x = z[2 * b];
                    double y = z[2 * b + 1];
                    losses[b] = (1 - x) * (1 - x) + 100 * (y - x * x) * (y - x * x);
                    gradients[2 * b] = (float) (-2 * (1 - x) - 400 * x * (y - x * x));
                    gradients[2 * b + 1] = (float) (200 * (y - x * x));
                }
            }
        };
    }

    /**
     * f_b(z) = 0.5 sum_i lambda_i (z_i - c_{b,i})^2 with lambda_i spaced geometrically from 1 to
     * {@code condition}; row b's minimiser is c_b (centres given row-major).
     */
    static BatchObjective quadratic(int dimension, double condition, float[] centres) {
        int batch = centres.length / dimension;
        double[] lambda = new double[dimension];
        for (int i = 0; i < dimension; i++) {
            lambda[i] = Math.pow(condition, i / (double) (dimension - 1));
        }
        return new BatchObjective() {
            public int batch() {
                return batch;
            }

            public int dimension() {
                return dimension;
            }

            public void evaluate(float[] z, double[] losses, float[] gradients) {
                for (int b = 0; b < batch; b++) {
                    double sum = 0;
                    for (int i = 0; i < dimension; i++) {
                        int k = b * dimension + i;
                        double r = z[k] - centres[k];
                        sum += 0.5 * lambda[i] * r * r;
                        gradients[k] = (float) (lambda[i] * r);
                    }
                    losses[b] = sum;
                }
            }
        };
    }
}
