package io.flowrecon.shared.prior;

import io.flowrecon.shared.job.ImageShape;
import io.flowrecon.shared.model.Sha256;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A Deep Decoder (Heckel and Hand, "Deep Decoder: concise image representations from untrained
 * non-convolutional networks", ICLR 2019, section 2): a fixed random tensor B_0 of k channels, then d layers of
 * 1x1 convolution, bilinear upsampling by two (all layers but the last), ReLU and channel normalisation
 * (each channel of each image standardised over its pixels, then scaled and shifted), and a last 1x1
 * convolution to the image channels followed by a sigmoid. Only the weights are fitted; nothing is trained.
 *
 * <p>The decoder is sized per image: the spatial size of layer i's input is ceil(H / 2^(d-1-i)) (so 4, 8, 16,
 * 32 for H = 32 and d = 4; 4, 7, 14, 28 for H = 28), and the channel count k is the largest that keeps the
 * network under-parameterised by {@code compression}: n / N >= compression, n = C H W the pixel count and N the
 * weight count. The paper's point is that this under-parameterisation, not training data, is the prior.
 *
 * @param layers      d, the hidden layers (d - 1 upsamplings)
 * @param compression the least ratio of pixels to weights, > 1
 * @param maxChannels an upper bound on k (large images would otherwise get very wide layers)
 * @param inputSeed   seed of B_0, uniform in [0, 0.1) as in the authors' code
 */
public record DeepDecoderArchitecture(int layers, double compression, int maxChannels, long inputSeed) {

    /** Chosen by measurement on 32 x 32 CelebA faces (worker/README.md, "Deep Decoder"). */
    public static final DeepDecoderArchitecture DEFAULT = new DeepDecoderArchitecture(4, 2.5, 128, 1);

    /** The upper end of the fixed input's uniform values (the authors scale uniform(0, 1) draws by 1/10). */
    public static final float INPUT_SCALE = 0.1f;
    /** Epsilon of the channel normalisation (torch's BatchNorm2d default, which the authors use). */
    public static final float NORM_EPSILON = 1e-5f;

    public DeepDecoderArchitecture {
        require(layers >= 1 && layers <= 12, "layers must be 1..12, got " + layers);
        require(compression > 1 && Double.isFinite(compression), "compression must be finite and > 1, got " + compression);
        require(maxChannels >= 1, "maxChannels must be at least 1, got " + maxChannels);
    }

    /** k for this image: the widest layers with n / N >= compression (at least 1). */
    public int channels(ImageShape image) {
        int k = 1;
        while (k < maxChannels && image.size() / (double) parameterCount(k + 1, image.channels()) >= compression) {
            k++;
        }
        return k;
    }

    /** N, the number of fitted weights for this image (the length of the weight vector). */
    public int parameterCount(ImageShape image) {
        return parameterCount(channels(image), image.channels());
    }

    private int parameterCount(int k, int imageChannels) {
        return layers * (k * k + 2 * k) + imageChannels * k;
    }

    /** Spatial height of layer i's input, i = 0 .. layers - 1 (i = 0: the fixed input B_0). */
    public int height(ImageShape image, int layer) {
        return scaled(image.height(), layer);
    }

    /** Spatial width of layer i's input. */
    public int width(ImageShape image, int layer) {
        return scaled(image.width(), layer);
    }

    private int scaled(int size, int layer) {
        int shrink = 1 << (layers - 1 - layer);
        return (size + shrink - 1) / shrink;
    }

    /**
     * The weight vector's layout (row-major pieces, in this order): per hidden layer i, the 1x1 convolution
     * [k, k] (output channel major), the normalisation scales [k] and shifts [k]; then the output convolution
     * [C, k]. Returns the piece lengths.
     */
    public long[] pieces(ImageShape image) {
        int k = channels(image);
        long[] out = new long[3 * layers + 1];
        for (int i = 0; i < layers; i++) {
            out[3 * i] = (long) k * k;
            out[3 * i + 1] = k;
            out[3 * i + 2] = k;
        }
        out[3 * layers] = (long) image.channels() * k;
        return out;
    }

    /** What identifies the decoder made for this image (its graph and fixed input): a session cache key. */
    public String sha256(ImageShape image) {
        String identity = "deep-decoder layers=" + layers + " channels=" + channels(image) + " inputSeed=" + inputSeed
                + " image=" + image;
        return Sha256.hex(identity.getBytes(StandardCharsets.UTF_8));
    }

    /** The card's architecture section. */
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("family", "deep-decoder");
        m.put("layers", layers);
        m.put("compression", compression);
        m.put("maxChannels", maxChannels);
        m.put("inputSeed", inputSeed);
        m.put("input", "uniform [0, " + INPUT_SCALE + ")");
        m.put("upsampling", "bilinear x2 (half_pixel)");
        m.put("normalization", "channel-wise, epsilon " + NORM_EPSILON);
        m.put("output", "1x1 conv, sigmoid");
        return m;
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException("deep decoder: " + message);
        }
    }
}
