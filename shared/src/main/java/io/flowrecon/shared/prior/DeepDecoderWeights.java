package io.flowrecon.shared.prior;

import io.flowrecon.shared.job.ImageShape;
import java.util.SplittableRandom;

/** Where a Deep Decoder's weights start: the layout of {@link DeepDecoderArchitecture#pieces}, one row per restart. */
public final class DeepDecoderWeights {

    private DeepDecoderWeights() {
    }

    /**
     * Convolutions N(0, std^2 / fan_in), He-style (std = 1 / sqrt(3) has the variance of torch's default
     * Conv2d init, which the authors use); normalisation scales 1 and shifts 0 (torch's BatchNorm2d). Restart b
     * takes the b-th block of draws from {@code seed}, so restart 0 is the same for any batch.
     *
     * @return [batch * N]
     */
    public static float[] random(DeepDecoderArchitecture arch, ImageShape image, double std, long seed, int batch) {
        if (!(std > 0) || !Double.isFinite(std)) {
            throw new IllegalArgumentException("deep decoder init: std must be finite and > 0, got " + std);
        }
        int k = arch.channels(image);
        long[] pieces = arch.pieces(image);
        int n = arch.parameterCount(image);
        float[] w = new float[batch * n];
        SplittableRandom random = new SplittableRandom(seed);
        double convStd = std / Math.sqrt(k);
        int at = 0;
        for (int b = 0; b < batch; b++) {
            for (int p = 0; p < pieces.length; p++) {
                boolean conv = p % 3 == 0;
                float fill = p % 3 == 1 ? 1f : 0f;
                for (long i = 0; i < pieces[p]; i++) {
                    w[at++] = conv ? (float) (convStd * random.nextGaussian()) : fill;
                }
            }
        }
        return w;
    }
}
