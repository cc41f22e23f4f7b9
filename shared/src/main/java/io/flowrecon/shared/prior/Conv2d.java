package io.flowrecon.shared.prior;

import java.util.Random;

/**
 * Weights of a square 2-D convolution as ONNX Conv takes them.
 *
 * @param outChannels output channels
 * @param inChannels  input channels
 * @param kernel      kernel height = width (odd; padded by kernel / 2 so the size is kept)
 * @param weight      [outChannels][inChannels][kernel][kernel], row-major
 * @param bias        [outChannels]
 */
public record Conv2d(int outChannels, int inChannels, int kernel, float[] weight, float[] bias) {

    public Conv2d {
        if (outChannels < 1 || inChannels < 1 || kernel < 1 || kernel % 2 == 0) {
            throw new IllegalArgumentException("conv2d: channels must be positive and the kernel odd, got "
                    + outChannels + "x" + inChannels + "x" + kernel + "x" + kernel);
        }
        Layouts.requireLength("conv2d weight", weight, (long) outChannels * inChannels * kernel * kernel);
        Layouts.requireLength("conv2d bias", bias, outChannels);
    }

    /**
     * Gaussian weights with standard deviation gain / sqrt(fan in) (He et al. 2015 use gain sqrt(2) before a
     * ReLU) and biases N(0, biasStd^2).
     */
    static Conv2d random(int outChannels, int inChannels, int kernel, double gain, double biasStd, Random random) {
        int fanIn = inChannels * kernel * kernel;
        float[] w = Layouts.gaussian(random, outChannels * fanIn, gain / Math.sqrt(fanIn));
        float[] b = Layouts.gaussian(random, outChannels, biasStd);
        return new Conv2d(outChannels, inChannels, kernel, w, b);
    }

    long[] weightDims() {
        return new long[] {outChannels, inChannels, kernel, kernel};
    }
}
