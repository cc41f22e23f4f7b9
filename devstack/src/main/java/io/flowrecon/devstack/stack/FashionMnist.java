package io.flowrecon.devstack.stack;

import io.flowrecon.shared.image.Idx;
import io.flowrecon.shared.image.Image;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The demo's Fashion-MNIST test images, read with {@link Idx}, as images with values in [0, 1]. */
public final class FashionMnist {

    /** Where Debian's {@code dataset-fashion-mnist} package puts the test images. */
    public static final Path DEBIAN_TEST_IMAGES = Path.of("/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz");

    /** Where Debian's {@code dataset-fashion-mnist} package puts the test labels. */
    public static final Path DEBIAN_TEST_LABELS = Path.of("/usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz");

    private FashionMnist() {
    }

    /** The first {@code count} images whose label is {@code label}, in file order. */
    public static List<Image> readClass(Path images, Path labelsFile, int label, int count) throws IOException {
        int[] labels = Idx.readLabels(labelsFile);
        int last = -1;
        int found = 0;
        for (int i = 0; i < labels.length && found < count; i++) {
            if (labels[i] == label) {
                found++;
                last = i;
            }
        }
        if (found < count) {
            throw new IOException(labelsFile + " has " + found + " images of class " + label + ", " + count + " requested");
        }
        Idx all = Idx.readImages(images, last + 1);
        List<Image> chosen = new ArrayList<>(count);
        for (int i = 0; i <= last; i++) {
            if (labels[i] == label) {
                chosen.add(all.image(i));
            }
        }
        return chosen;
    }

    /** The first {@code count} images. */
    public static List<Image> read(Path images, int count) throws IOException {
        Idx idx = Idx.readImages(images, count);
        if (idx.count() < count) {
            throw new IOException(images + " holds " + idx.count() + " images, " + count + " requested");
        }
        List<Image> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(idx.image(i));
        }
        return out;
    }
}
