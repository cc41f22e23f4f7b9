package io.flowrecon.shared.prior;

import io.flowrecon.shared.job.ImageShape;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A DCGAN generator (Radford, Metz, Chintala 2016, figure 1; the prior of Bora et al. 2017): z is projected by
 * a dense layer to {@code startSize x startSize} feature maps, then ConvTranspose(4, stride 2, pad 1) +
 * BatchNorm + ReLU blocks double the size until the last ConvTranspose + Tanh gives the image.
 *
 * <p>The number of upsamplings u is the largest with size / 2^u a whole number of at least 4: 28 = 7 x 2^2
 * (7 -> 14 -> 28), 32 = 4 x 2^3 (4 -> 8 -> 16 -> 32), 64 = 4 x 2^4. Channels halve per upsampling and are
 * {@code features} before the last layer: feature maps at {@code startSize} have features x 2^(u-1).
 *
 * @param channels image channels C
 * @param size     image height = width S
 * @param latent   length of z
 * @param features channels of the last hidden layer (Radford's 64x64 model: 128; Bora et al.'s: 64)
 */
public record DcganArchitecture(int channels, int size, int latent, int features) {

    /** The default width of the last hidden layer. */
    public static final int DEFAULT_FEATURES = 64;

    public DcganArchitecture {
        require(channels >= 1, "channels must be at least 1, got " + channels);
        require(latent >= 1, "latent must be at least 1, got " + latent);
        require(features >= 1, "features must be at least 1, got " + features);
        require(size >= 8 && upsamplings(size) >= 1,
                "size must be 2^u x a whole number of at least 4 with u >= 1 (e.g. 28, 32, 64), got " + size);
        require((long) features << (upsamplings(size) - 1) <= 1 << 16,
                "features x 2^(upsamplings-1) must stay at most 65536 channels, got features " + features);
    }

    public DcganArchitecture(int channels, int size, int latent) {
        this(channels, size, latent, DEFAULT_FEATURES);
    }

    private static int upsamplings(int size) {
        int u = 0;
        while (size % (2 << u) == 0 && size / (2 << u) >= 4) {
            u++;
        }
        return u;
    }

    /** Number of stride-2 ConvTranspose layers, the last one included. */
    public int upsamplings() {
        return upsamplings(size);
    }

    /** Spatial size of the projected feature maps. */
    public int startSize() {
        return size >> upsamplings();
    }

    /**
     * Channels of each feature map, from the projection to the last hidden layer (u entries), e.g. for 32x32 with
     * features 64: [256, 128, 64].
     */
    public List<Integer> featureChannels() {
        List<Integer> out = new ArrayList<>();
        for (int i = upsamplings() - 1; i >= 0; i--) {
            out.add(features << i);
        }
        return out;
    }

    public ImageShape imageShape() {
        return new ImageShape(channels, size, size);
    }

    /** The card's architecture section. */
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("family", "dcgan");
        m.put("channels", channels);
        m.put("size", size);
        m.put("latent", latent);
        m.put("features", features);
        m.put("startSize", startSize());
        m.put("featureChannels", featureChannels());
        m.put("blocks", "Gemm -> BN -> ReLU, then ConvTranspose(4, s2, p1) -> BN -> ReLU, last ConvTranspose -> Tanh");
        m.put("outputMap", "x = 0.5 * (tanh + 1)");
        return m;
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException("dcgan architecture: " + message);
        }
    }
}
