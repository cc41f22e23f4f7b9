package io.flowrecon.shared.image;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The CelebA recipe the priors are trained on and the demos test with (the team's data README): the aligned
 * 89 x 109 thumbnails {@code 000001.jpg} .. {@code 010000.jpg}, train {@code 000001..009000}, test
 * {@code 009001..010000}; the 89 x 89 square starting 10 rows from the top (the face, without most of the neck),
 * area-resized (no aliasing when shrinking) and rounded to 8-bit levels, as a PIL pipeline stores its images.
 */
public final class CelebaFaces {
    public static final CropBox CROP = new CropBox(10, 0, 89, 89);
    public static final int TRAIN_FIRST = 1;
    public static final int TRAIN_LAST = 9000;
    public static final int TEST_FIRST = 9001;
    public static final int TEST_LAST = 10000;
    /** The reference size on CPU. */
    public static final int SIZE = 32;

    private CelebaFaces() {
    }

    /** {@code folder/NNNNNN.jpg} for the numbers {@code first .. last}, inclusive. */
    public static List<Path> numbered(Path folder, int first, int last) {
        if (first < 0 || last < first) {
            throw new IllegalArgumentException("file numbers must satisfy 0 <= first <= last, got " + first + ".."
                    + last);
        }
        List<Path> files = new ArrayList<>(last - first + 1);
        for (int i = first; i <= last; i++) {
            files.add(folder.resolve(String.format("%06d.jpg", i)));
        }
        return files;
    }

    /** One thumbnail through the recipe: crop, area resize to size x size, 8-bit levels. */
    public static Image face(Path file, int size) throws IOException {
        return ImageFiles.roundTo8Bits(ImageOps.resizeArea(ImageFiles.readRgb(file, CROP), size, size));
    }

    /** The first {@code count} held-out test faces, 32 x 32. */
    public static List<Image> testFaces(Path folder, int count) throws IOException {
        if (count < 1 || count > TEST_LAST - TEST_FIRST + 1) {
            throw new IllegalArgumentException("count must be 1.." + (TEST_LAST - TEST_FIRST + 1) + ", got " + count);
        }
        List<Image> faces = new ArrayList<>(count);
        for (Path file : numbered(folder, TEST_FIRST, TEST_FIRST + count - 1)) {
            faces.add(face(file, SIZE));
        }
        return faces;
    }
}
