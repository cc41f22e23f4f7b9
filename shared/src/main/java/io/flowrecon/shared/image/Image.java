package io.flowrecon.shared.image;

import io.flowrecon.shared.job.ImageShape;

import java.util.Objects;

/**
 * An image as the priors see it: values in [0, 1], flattened in CHW order
 * (index = (c * height + y) * width + x).
 *
 * <p>The array is shared, not copied (images are large and passed along hot paths); callers
 * that keep an image must not mutate its array afterwards. Record equality is array identity.
 */
public record Image(ImageShape shape, float[] values) {

    public Image {
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(values, "values");
        if (values.length != shape.size()) {
            throw new IllegalArgumentException("image values: expected " + shape.size() + " values for shape "
                    + shape + " (C x H x W), got " + values.length);
        }
    }

    /** A black image of the given shape. */
    public static Image zeros(ImageShape shape) {
        return new Image(shape, new float[shape.size()]);
    }

    public int channels() {
        return shape.channels();
    }

    public int height() {
        return shape.height();
    }

    public int width() {
        return shape.width();
    }

    /** Value of channel {@code c} at row {@code y}, column {@code x}. */
    public float get(int c, int y, int x) {
        return values[index(c, y, x)];
    }

    /** Flat CHW index of (c, y, x). */
    public int index(int c, int y, int x) {
        return (c * shape.height() + y) * shape.width() + x;
    }

    /** A copy with every value clipped to [0, 1] (estimates may overshoot). */
    public Image clipped() {
        float[] out = new float[values.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = clip01(values[i]);
        }
        return new Image(shape, out);
    }

    static float clip01(float v) {
        // NaN maps to 0 so that an encoded PNG never carries garbage.
        return v > 0f ? (v < 1f ? v : 1f) : 0f;
    }
}
