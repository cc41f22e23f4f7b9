package io.flowrecon.trainer.data;

import io.flowrecon.shared.job.ImageShape;
import java.util.Arrays;
import java.util.Objects;

/**
 * A set of 8-bit images held in memory, each flattened C x H x W (the {@link io.flowrecon.shared.image.Image}
 * order), with an optional class label per image. Pixels stay 8-bit so that dequantisation
 * ({@link Dequantizer}) sees the exact integer levels of the source.
 *
 * @param name   where the images came from, for cards and logs (e.g. {@code fashion-mnist/train})
 * @param shape  C x H x W of every image
 * @param pixels count x C x H x W unsigned bytes
 * @param labels one class label per image, or null when the source has none
 */
public record ImageDataset(String name, ImageShape shape, byte[] pixels, int[] labels) {

    public ImageDataset {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(pixels, "pixels");
        if (pixels.length % shape.size() != 0) {
            throw new IllegalArgumentException("dataset " + name + ": " + pixels.length
                    + " pixel bytes are not a whole number of " + shape + " images");
        }
        if (labels != null && labels.length != pixels.length / shape.size()) {
            throw new IllegalArgumentException("dataset " + name + ": " + labels.length + " labels for "
                    + pixels.length / shape.size() + " images");
        }
    }

    public int size() {
        return pixels.length / shape.size();
    }

    /** The 8-bit level (0..255) of value {@code k} (CHW index) of image {@code i}. */
    public int level(int i, int k) {
        return pixels[i * shape.size() + k] & 0xff;
    }

    /** Image {@code i} as values in [0, 1] (level / 255). */
    public float[] image(int i) {
        int n = shape.size();
        float[] out = new float[n];
        for (int k = 0; k < n; k++) {
            out[k] = (pixels[i * n + k] & 0xff) / 255f;
        }
        return out;
    }

    /** The images whose label is not {@code excludedClass}: a biased training set (Asim et al. 2020, section 5). */
    public ImageDataset withoutClass(int excludedClass) {
        if (labels == null) {
            throw new IllegalArgumentException("dataset " + name + ": has no labels, so a class cannot be excluded");
        }
        int[] keep = new int[size()];
        int count = 0;
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] != excludedClass) {
                keep[count++] = i;
            }
        }
        return select(name + "/without-class-" + excludedClass, Arrays.copyOf(keep, count));
    }

    /** The images {@code first} (inclusive) to {@code last} (exclusive) in source order. */
    public ImageDataset range(int first, int last) {
        if (first < 0 || last > size() || first >= last) {
            throw new IllegalArgumentException("dataset " + name + ": range " + first + ".." + last
                    + " must be non-empty and inside 0.." + size());
        }
        int[] indices = new int[last - first];
        Arrays.setAll(indices, i -> first + i);
        return select(name + "[" + first + ".." + last + ")", indices);
    }

    /** The images at {@code indices}, in that order. */
    public ImageDataset select(String selectionName, int[] indices) {
        int n = shape.size();
        byte[] out = new byte[indices.length * n];
        int[] outLabels = labels == null ? null : new int[indices.length];
        for (int j = 0; j < indices.length; j++) {
            System.arraycopy(pixels, indices[j] * n, out, j * n, n);
            if (outLabels != null) {
                outLabels[j] = labels[indices[j]];
            }
        }
        return new ImageDataset(selectionName, shape, out, outLabels);
    }
}
