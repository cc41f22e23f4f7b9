package io.flowrecon.trainer.data;

/**
 * A rectangle of a source image: rows {@code top .. top + height - 1}, columns {@code left .. left + width - 1}.
 * {@link #celeba()} is the recipe of issue 4 for the 89 x 109 aligned CelebA thumbnails: the 89 x 89 square
 * starting 10 rows from the top (the face, without most of the neck).
 */
public record CropBox(int top, int left, int height, int width) {

    public CropBox {
        if (top < 0 || left < 0 || height < 1 || width < 1) {
            throw new IllegalArgumentException("crop box: top and left must be >= 0 and the size positive, got top "
                    + top + ", left " + left + ", " + height + "x" + width);
        }
    }

    public static CropBox celeba() {
        return new CropBox(10, 0, 89, 89);
    }
}
