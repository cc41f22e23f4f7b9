package io.flowrecon.shared.prior;

import io.flowrecon.shared.job.ImageShape;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The shape of a multi-scale Glow (Kingma &amp; Dhariwal 2018, section 3 and figure 2): {@code levels} levels of
 * [squeeze, {@code stepsPerLevel} flow steps, split], the last level without split.
 *
 * @param channels      image channels C
 * @param size          image height = width S; must be divisible by 2^levels
 * @param levels        L, at least 1
 * @param stepsPerLevel K flow steps (actnorm, invertible 1x1 conv, affine coupling) per level, at least 1
 * @param hidden        H, channels of the coupling networks' hidden layers
 */
public record GlowArchitecture(int channels, int size, int levels, int stepsPerLevel, int hidden) {

    public GlowArchitecture {
        require(channels >= 1, "channels must be at least 1, got " + channels);
        require(levels >= 1, "levels must be at least 1, got " + levels);
        require(stepsPerLevel >= 1, "steps must be at least 1, got " + stepsPerLevel);
        require(hidden >= 1, "hidden must be at least 1, got " + hidden);
        require(size >= 2 && levels < 31 && size % (1 << levels) == 0,
                "size must be divisible by 2^levels = " + (levels < 31 ? (1L << levels) : "overflow") + ", got size "
                        + size + " with levels " + levels);
    }

    /**
     * The tensor shape inside one level, after its squeeze.
     *
     * @param level       0 for the finest level
     * @param channels    channels after the squeeze (4 x the channels that enter the level)
     * @param size        spatial size after the squeeze
     * @param latentChannels channels of this level's latent eps_l: half of {@code channels} for a level that splits,
     *                    all of them for the last level
     */
    public record LevelShape(int level, int channels, int size, int latentChannels) {
        /** Number of latent values this level contributes per image. */
        public int latentSize() {
            return latentChannels * size * size;
        }

        /** Channels the level passes on (the kept half); 0 for the last level. */
        public int keptChannels() {
            return channels - latentChannels;
        }
    }

    /** The levels' shapes, finest first. */
    public List<LevelShape> levelShapes() {
        List<LevelShape> shapes = new ArrayList<>();
        int c = channels;
        int s = size;
        for (int l = 0; l < levels; l++) {
            c *= 4;
            s /= 2;
            boolean last = l == levels - 1;
            shapes.add(new LevelShape(l, c, s, last ? c : c / 2));
            c = c / 2;
        }
        return shapes;
    }

    public ImageShape imageShape() {
        return new ImageShape(channels, size, size);
    }

    /** Length of z: equals C * S * S (a flow keeps the dimension). */
    public int latentSize() {
        return imageShape().size();
    }

    /** The card's architecture section. */
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("family", "glow");
        m.put("channels", channels);
        m.put("size", size);
        m.put("levels", levels);
        m.put("stepsPerLevel", stepsPerLevel);
        m.put("hidden", hidden);
        m.put("coupling", "affine, s = sigmoid(h + 2), NN = conv3x3-relu-conv1x1-relu-conv3x3");
        m.put("permutation", "invertible 1x1 conv, LU form");
        m.put("squeeze", "2x2 space-to-depth, channel = c*4 + dy*2 + dx");
        m.put("latentOrder", "eps_0 .. eps_{L-1} concatenated, each flattened C x H x W (level 0 = finest split)");
        m.put("inputShift", "encoder takes x - 0.5, generator adds 0.5");
        return m;
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException("glow architecture: " + message);
        }
    }
}
