package io.flowrecon.shared.image;

import io.flowrecon.shared.job.ImageShape;

/**
 * Geometry helpers for preparing images (datasets, demo inputs): centre crop and resize.
 * Resizing is separable: each axis has a table of (source index, weight) taps per output index.
 */
public final class ImageOps {

    private ImageOps() {
    }

    /** The centre {@code height x width} region (odd margins put the extra pixel at the bottom/right). */
    public static Image centerCrop(Image image, int height, int width) {
        if (height <= 0 || width <= 0 || height > image.height() || width > image.width()) {
            throw new IllegalArgumentException("center crop " + height + "x" + width
                    + " must be positive and fit inside the image " + image.height() + "x" + image.width());
        }
        int top = (image.height() - height) / 2;
        int left = (image.width() - width) / 2;
        ImageShape shape = new ImageShape(image.channels(), height, width);
        float[] out = new float[shape.size()];
        for (int c = 0; c < image.channels(); c++) {
            for (int y = 0; y < height; y++) {
                System.arraycopy(image.values(), image.index(c, top + y, left), out, (c * height + y) * width, width);
            }
        }
        return new Image(shape, out);
    }

    /**
     * Area (box) resampling: each output pixel is the exact mean of the source area it covers,
     * the right filter for downsampling (no aliasing, preserves the mean); like OpenCV's INTER_AREA.
     */
    public static Image resizeArea(Image image, int height, int width) {
        checkTarget(height, width);
        return resize(image, areaTaps(image.height(), height), areaTaps(image.width(), width));
    }

    /**
     * Bilinear resampling with pixel centres at half-integers (align_corners = false, as PIL,
     * OpenCV INTER_LINEAR and torch's default), edges clamped.
     */
    public static Image resizeBilinear(Image image, int height, int width) {
        checkTarget(height, width);
        return resize(image, bilinearTaps(image.height(), height), bilinearTaps(image.width(), width));
    }

    /**
     * Centre-crops to the largest region with the target's aspect ratio, then area-resizes to
     * {@code height x width}: how dataset images are brought to a prior's shape.
     */
    public static Image cropAndResize(Image image, int height, int width) {
        checkTarget(height, width);
        long srcH = image.height();
        long srcW = image.width();
        // Largest cropH x cropW inside the image with cropH / cropW == height / width.
        int cropH;
        int cropW;
        if (srcH * width <= srcW * height) {
            cropH = (int) srcH;
            cropW = (int) Math.max(1, Math.round((double) srcH * width / height));
        } else {
            cropW = (int) srcW;
            cropH = (int) Math.max(1, Math.round((double) srcW * height / width));
        }
        return resizeArea(centerCrop(image, Math.min(cropH, (int) srcH), Math.min(cropW, (int) srcW)), height, width);
    }

    private static void checkTarget(int height, int width) {
        if (height <= 0 || width <= 0) {
            throw new IllegalArgumentException("target size must be positive, got " + height + "x" + width);
        }
    }

    /** Taps of one axis: for output index o, {@code index[o][k]} with {@code weight[o][k]}, weights sum to 1. */
    private record Taps(int[][] index, float[][] weight) {
    }

    private static Taps areaTaps(int source, int target) {
        double scale = (double) source / target;
        int[][] index = new int[target][];
        float[][] weight = new float[target][];
        for (int o = 0; o < target; o++) {
            double start = o * scale;
            double end = (o + 1) * scale;
            int first = (int) Math.floor(start);
            int last = Math.min(source - 1, (int) Math.ceil(end) - 1);
            int count = last - first + 1;
            index[o] = new int[count];
            weight[o] = new float[count];
            for (int k = 0; k < count; k++) {
                int s = first + k;
                double overlap = Math.min(end, s + 1) - Math.max(start, s);
                index[o][k] = s;
                weight[o][k] = (float) (overlap / scale);
            }
        }
        return new Taps(index, weight);
    }

    private static Taps bilinearTaps(int source, int target) {
        double scale = (double) source / target;
        int[][] index = new int[target][];
        float[][] weight = new float[target][];
        for (int o = 0; o < target; o++) {
            double position = Math.min(Math.max((o + 0.5) * scale - 0.5, 0.0), source - 1.0);
            int low = (int) Math.floor(position);
            int high = Math.min(low + 1, source - 1);
            float frac = (float) (position - low);
            index[o] = new int[]{low, high};
            weight[o] = new float[]{1f - frac, frac};
        }
        return new Taps(index, weight);
    }

    private static Image resize(Image image, Taps rows, Taps cols) {
        int channels = image.channels();
        int srcH = image.height();
        int srcW = image.width();
        int height = rows.index().length;
        int width = cols.index().length;
        float[] src = image.values();
        // Horizontal pass into a C x srcH x width buffer, then the vertical pass.
        float[] horizontal = new float[channels * srcH * width];
        for (int cy = 0; cy < channels * srcH; cy++) {
            int in = cy * srcW;
            int out = cy * width;
            for (int x = 0; x < width; x++) {
                int[] idx = cols.index()[x];
                float[] w = cols.weight()[x];
                float sum = 0f;
                for (int k = 0; k < idx.length; k++) {
                    sum += w[k] * src[in + idx[k]];
                }
                horizontal[out + x] = sum;
            }
        }
        ImageShape shape = new ImageShape(channels, height, width);
        float[] out = new float[shape.size()];
        for (int c = 0; c < channels; c++) {
            for (int y = 0; y < height; y++) {
                int[] idx = rows.index()[y];
                float[] w = rows.weight()[y];
                int dst = (c * height + y) * width;
                for (int k = 0; k < idx.length; k++) {
                    int srcRow = (c * srcH + idx[k]) * width;
                    float wk = w[k];
                    for (int x = 0; x < width; x++) {
                        out[dst + x] += wk * horizontal[srcRow + x];
                    }
                }
            }
        }
        return new Image(shape, out);
    }
}
