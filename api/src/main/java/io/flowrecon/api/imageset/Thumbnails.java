package io.flowrecon.api.imageset;

import io.flowrecon.shared.image.Image;
import io.flowrecon.shared.image.ImageOps;
import io.flowrecon.shared.image.Png;
import io.flowrecon.shared.job.ImageShape;

/**
 * Small views of set images for pages and grids: the longer side brought to {@link #SIDE} pixels, by area
 * averaging when shrinking and by repeating pixels (an integer factor, so pixels stay square and sharp) when
 * the image is smaller, as most prior-sized images (28 to 64 pixels) are.
 */
final class Thumbnails {

    static final int SIDE = 96;

    private Thumbnails() {
    }

    static byte[] of(byte[] png) {
        Image image = Png.decode(png);
        int longer = Math.max(image.height(), image.width());
        if (longer > SIDE) {
            int height = Math.max(1, Math.round((float) image.height() * SIDE / longer));
            int width = Math.max(1, Math.round((float) image.width() * SIDE / longer));
            return Png.encode(ImageOps.resizeArea(image, height, width));
        }
        int factor = SIDE / longer;
        return factor <= 1 ? Png.encode(image) : Png.encode(repeat(image, factor));
    }

    private static Image repeat(Image image, int factor) {
        int height = image.height() * factor;
        int width = image.width() * factor;
        float[] out = new float[image.channels() * height * width];
        for (int c = 0; c < image.channels(); c++) {
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    out[(c * height + y) * width + x] = image.get(c, y / factor, x / factor);
                }
            }
        }
        return new Image(new ImageShape(image.channels(), height, width), out);
    }
}
