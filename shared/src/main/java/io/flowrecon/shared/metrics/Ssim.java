package io.flowrecon.shared.metrics;

import io.flowrecon.shared.image.Image;

/**
 * Mean structural similarity (Wang, Bovik, Sheikh, Simoncelli, IEEE TIP 2004), computed as
 * scikit-image's {@code structural_similarity(..., gaussian_weights=True, sigma=1.5,
 * use_sample_covariance=False, data_range=1, channel_axis=0)}: an 11 x 11 Gaussian window
 * (sigma 1.5, truncated at 3.5 sigma), K1 = 0.01, K2 = 0.03, L = 1, the SSIM map averaged over
 * the positions where the whole window fits inside the image, then over channels.
 * Values are used as given (no clipping).
 */
public final class Ssim {

    static final double SIGMA = 1.5;
    static final int RADIUS = 5; // int(3.5 * sigma + 0.5), scikit-image's truncate = 3.5
    static final int WINDOW = 2 * RADIUS + 1;
    private static final double C1 = 0.01 * 0.01; // (K1 L)^2
    private static final double C2 = 0.03 * 0.03; // (K2 L)^2
    private static final double[] KERNEL = gaussianKernel();

    private Ssim() {
    }

    /** Mean SSIM in [-1, 1]; images must have the same shape, at least 11 x 11 pixels. */
    public static double compute(Image truth, Image estimate) {
        if (!truth.shape().equals(estimate.shape())) {
            throw new IllegalArgumentException("SSIM: truth is " + truth.shape() + ", estimate is "
                    + estimate.shape() + "; they must have the same shape");
        }
        int height = truth.height();
        int width = truth.width();
        if (height < WINDOW || width < WINDOW) {
            throw new IllegalArgumentException("SSIM: images must be at least " + WINDOW + "x" + WINDOW
                    + " pixels (the Gaussian window), got " + height + "x" + width);
        }
        double sum = 0.0;
        for (int c = 0; c < truth.channels(); c++) {
            sum += channelMean(truth.values(), estimate.values(), c * height * width, height, width);
        }
        return sum / truth.channels();
    }

    private static double channelMean(float[] xs, float[] ys, int offset, int height, int width) {
        int outH = height - 2 * RADIUS;
        int outW = width - 2 * RADIUS;
        // Five local moments, each a separable "valid" Gaussian filter: rows first, then columns.
        double[][] rowFiltered = new double[5][height * outW];
        for (int y = 0; y < height; y++) {
            int row = offset + y * width;
            for (int x = 0; x < outW; x++) {
                double mx = 0, my = 0, mxx = 0, myy = 0, mxy = 0;
                for (int k = 0; k < WINDOW; k++) {
                    double w = KERNEL[k];
                    double a = xs[row + x + k];
                    double b = ys[row + x + k];
                    mx += w * a;
                    my += w * b;
                    mxx += w * a * a;
                    myy += w * b * b;
                    mxy += w * a * b;
                }
                int i = y * outW + x;
                rowFiltered[0][i] = mx;
                rowFiltered[1][i] = my;
                rowFiltered[2][i] = mxx;
                rowFiltered[3][i] = myy;
                rowFiltered[4][i] = mxy;
            }
        }
        double total = 0.0;
        for (int y = 0; y < outH; y++) {
            for (int x = 0; x < outW; x++) {
                double ux = 0, uy = 0, uxx = 0, uyy = 0, uxy = 0;
                for (int k = 0; k < WINDOW; k++) {
                    double w = KERNEL[k];
                    int i = (y + k) * outW + x;
                    ux += w * rowFiltered[0][i];
                    uy += w * rowFiltered[1][i];
                    uxx += w * rowFiltered[2][i];
                    uyy += w * rowFiltered[3][i];
                    uxy += w * rowFiltered[4][i];
                }
                // Population (biased) covariances: use_sample_covariance=False.
                double vx = uxx - ux * ux;
                double vy = uyy - uy * uy;
                double vxy = uxy - ux * uy;
                total += ((2 * ux * uy + C1) * (2 * vxy + C2)) / ((ux * ux + uy * uy + C1) * (vx + vy + C2));
            }
        }
        return total / ((double) outH * outW);
    }

    private static double[] gaussianKernel() {
        double[] kernel = new double[WINDOW];
        double sum = 0.0;
        for (int k = 0; k < WINDOW; k++) {
            int d = k - RADIUS;
            kernel[k] = Math.exp(-0.5 * d * d / (SIGMA * SIGMA));
            sum += kernel[k];
        }
        for (int k = 0; k < WINDOW; k++) {
            kernel[k] /= sum;
        }
        return kernel;
    }
}
