package io.flowrecon.shared.metrics;

/**
 * Peak signal-to-noise ratio for images in [0, 1] (data range 1):
 * PSNR = 10 log10(1 / MSE), with the estimate clipped to [0, 1] first, as the paper reports it.
 */
public final class Psnr {

    private Psnr() {
    }

    /** PSNR in dB; {@code +Infinity} when the clipped estimate equals the truth. */
    public static double compute(float[] truth, float[] estimate) {
        return fromMse(mse(truth, estimate));
    }

    /** Mean squared error between the truth and the estimate clipped to [0, 1], accumulated in double. */
    public static double mse(float[] truth, float[] estimate) {
        if (truth.length != estimate.length) {
            throw new IllegalArgumentException("PSNR: truth has " + truth.length + " values, estimate has "
                    + estimate.length + "; they must have the same shape");
        }
        if (truth.length == 0) {
            throw new IllegalArgumentException("PSNR: images must not be empty");
        }
        double sum = 0.0;
        for (int i = 0; i < truth.length; i++) {
            double e = estimate[i];
            double clipped = e > 0.0 ? (e < 1.0 ? e : 1.0) : 0.0;
            double d = clipped - truth[i];
            sum += d * d;
        }
        return sum / truth.length;
    }

    /** PSNR in dB of a mean squared error for data range 1. */
    public static double fromMse(double mse) {
        return mse == 0.0 ? Double.POSITIVE_INFINITY : -10.0 * Math.log10(mse);
    }
}
