package io.flowrecon.shared.metrics;

import io.flowrecon.shared.image.Image;
import io.flowrecon.shared.job.ImageShape;

/**
 * Deterministic test images defined by formulas, so that an independent script can rebuild them
 * bit for bit. The reference numbers in the tests came from this numpy/scipy script (run once,
 * Python 3, numpy + scipy.ndimage.gaussian_filter, i.e. scikit-image's SSIM algorithm):
 *
 * <pre>
 * def images(C, H, W):
 *     c, y, x = np.meshgrid(np.arange(C), np.arange(H), np.arange(W), indexing='ij')
 *     truth = (0.5 + 0.4 * np.sin(0.3 * x + 0.2 * y + c)).astype(np.float32)
 *     est = (truth + 0.15 * np.cos(0.7 * x - 0.45 * y + 2.0 * c)).astype(np.float32)
 *     return truth.astype(np.float64), est.astype(np.float64)
 * def ssim(X, Y):   # per channel, then mean
 *     f = lambda z: gaussian_filter(z, sigma=1.5, truncate=3.5, mode='reflect')
 *     ux, uy = f(a), f(b); vx = f(a*a) - ux*ux; vy = f(b*b) - uy*uy; vxy = f(a*b) - ux*uy
 *     S = ((2*ux*uy + C1) * (2*vxy + C2)) / ((ux**2 + uy**2 + C1) * (vx + vy + C2))
 *     S[5:-5, 5:-5].mean()
 * def psnr(t, e): 10*np.log10(1/np.mean((t-np.clip(e, 0, 1))**2))
 * </pre>
 */
final class MetricImages {

    private MetricImages() {
    }

    static Image truth(ImageShape shape) {
        float[] v = new float[shape.size()];
        int i = 0;
        for (int c = 0; c < shape.channels(); c++) {
            for (int y = 0; y < shape.height(); y++) {
                for (int x = 0; x < shape.width(); x++) {
                    v[i++] = (float) (0.5 + 0.4 * Math.sin(0.3 * x + 0.2 * y + c));
                }
            }
        }
        return new Image(shape, v);
    }

    /** The truth plus a smooth perturbation; leaves [0, 1] in places (exercises PSNR's clipping). */
    static Image estimate(ImageShape shape) {
        float[] t = truth(shape).values();
        float[] v = new float[shape.size()];
        int i = 0;
        for (int c = 0; c < shape.channels(); c++) {
            for (int y = 0; y < shape.height(); y++) {
                for (int x = 0; x < shape.width(); x++) {
                    v[i] = (float) (t[i] + 0.15 * Math.cos(0.7 * x - 0.45 * y + 2.0 * c));
                    i++;
                }
            }
        }
        return new Image(shape, v);
    }
}
