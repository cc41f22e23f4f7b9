package io.flowrecon.shared.image;

import io.flowrecon.shared.job.ImageShape;

import java.util.Arrays;

/**
 * Tiles n generator samples [n, C, H, W] (CHW, one after another, values in [0, 1], clipped) on a grid of
 * ceil(sqrt(n)) columns with {@value #GAP} white pixels around and between them: the {@code samples.png} of a
 * bundle folder, of {@code ./flowrecon model init-*}, of the trainer's {@code sample} and of an imported model.
 */
public final class SampleGrid {

    public static final int GAP = 2;

    private SampleGrid() {
    }

    public static int columns(int count) {
        return (int) Math.ceil(Math.sqrt(count));
    }

    public static int rows(int count) {
        return (count + columns(count) - 1) / columns(count);
    }

    public static Image tile(float[] samples, int count, ImageShape shape) {
        if (count < 1 || samples.length != (long) count * shape.size()) {
            throw new IllegalArgumentException("sample grid: expected " + count + " images of " + shape + " ("
                    + (long) count * shape.size() + " values), got " + samples.length + " values");
        }
        int columns = columns(count);
        int h = shape.height();
        int w = shape.width();
        ImageShape gridShape = new ImageShape(shape.channels(), rows(count) * h + (rows(count) + 1) * GAP,
                columns * w + (columns + 1) * GAP);
        float[] grid = new float[gridShape.size()];
        Arrays.fill(grid, 1f);
        Image out = new Image(gridShape, grid);
        for (int k = 0; k < count; k++) {
            int top = GAP + (k / columns) * (h + GAP);
            int left = GAP + (k % columns) * (w + GAP);
            for (int c = 0; c < shape.channels(); c++) {
                for (int y = 0; y < h; y++) {
                    System.arraycopy(samples, k * shape.size() + (c * h + y) * w, grid, out.index(c, top + y, left), w);
                }
            }
        }
        return out.clipped();
    }
}
