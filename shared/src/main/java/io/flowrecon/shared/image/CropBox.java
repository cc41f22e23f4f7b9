package io.flowrecon.shared.image;

/**
 * A rectangle of a source image: rows {@code top .. top + height - 1}, columns {@code left .. left + width - 1}.
 * {@link CelebaFaces#CROP} is the one the CelebA recipe uses.
 */
public record CropBox(int top, int left, int height, int width) {

    public CropBox {
        if (top < 0 || left < 0 || height < 1 || width < 1) {
            throw new IllegalArgumentException("crop box: top and left must be >= 0 and the size positive, got top "
                    + top + ", left " + left + ", " + height + "x" + width);
        }
    }
}
