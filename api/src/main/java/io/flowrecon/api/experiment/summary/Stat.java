package io.flowrecon.api.experiment.summary;

import java.util.List;

/**
 * Mean, sample standard deviation and the 95% confidence interval of the mean (Student's t with n - 1
 * degrees of freedom) of one metric over a cell's replicates (images and seeds).
 *
 * @param n      values the statistic is over
 * @param std    sample standard deviation (n - 1 in the denominator); null for n < 2
 * @param ciLow  lower end of the 95% interval of the mean; null for n < 2
 * @param ciHigh upper end; null for n < 2
 */
public record Stat(int n, Double mean, Double std, Double ciLow, Double ciHigh) {

    public static Stat of(List<Double> values) {
        int n = values.size();
        if (n == 0) {
            return new Stat(0, null, null, null, null);
        }
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        double mean = sum / n;
        if (n == 1) {
            return new Stat(1, mean, null, null, null);
        }
        double squares = 0;
        for (double v : values) {
            squares += (v - mean) * (v - mean);
        }
        double std = Math.sqrt(squares / (n - 1));
        double half = tQuantile975(n - 1) * std / Math.sqrt(n);
        return new Stat(n, mean, std, mean - half, mean + half);
    }

    /** Two-sided 95% critical values of Student's t for 1..30 degrees of freedom (standard tables). */
    private static final double[] T975 = {12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
            2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060,
            2.056, 2.052, 2.048, 2.045, 2.042};

    /** The 0.975 quantile of t with {@code df} degrees of freedom; beyond the table, its expansion in 1/df. */
    static double tQuantile975(int df) {
        if (df < 1) {
            throw new IllegalArgumentException("degrees of freedom must be >= 1, got " + df);
        }
        if (df <= T975.length) {
            return T975[df - 1];
        }
        double z = 1.959964;
        double z3 = z * z * z;
        double z5 = z3 * z * z;
        return z + (z3 + z) / (4.0 * df) + (5 * z5 + 16 * z3 + 3 * z) / (96.0 * df * df);
    }
}
