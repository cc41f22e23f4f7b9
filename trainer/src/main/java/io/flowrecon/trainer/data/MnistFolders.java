package io.flowrecon.trainer.data;

import io.flowrecon.shared.image.Idx;
import java.io.IOException;
import java.nio.file.Path;

/** A split of MNIST or Fashion-MNIST from the folder of its four IDX files, read with {@link Idx}. */
public final class MnistFolders {

    private MnistFolders() {
    }

    /**
     * {@code train} reads train-images-idx3-ubyte.gz and train-labels-idx1-ubyte.gz, {@code t10k} (or {@code test})
     * the t10k files.
     */
    public static ImageDataset readSplit(Path folder, String split) throws IOException {
        String prefix = switch (split) {
            case "train" -> "train";
            case "test", "t10k" -> "t10k";
            default -> throw new IllegalArgumentException("split must be train or test, got " + split);
        };
        Path images = folder.resolve(prefix + "-images-idx3-ubyte.gz");
        Path labels = folder.resolve(prefix + "-labels-idx1-ubyte.gz");
        return read(folder.getFileName() + "/" + split, images, labels);
    }

    /** Images [n, rows, cols] as 1-channel images, with the labels [n] of the labels file. */
    public static ImageDataset read(String name, Path imagesFile, Path labelsFile) throws IOException {
        Idx images = Idx.readImages(imagesFile, Integer.MAX_VALUE);
        int[] labels = Idx.readLabels(labelsFile);
        if (labels.length != images.count()) {
            throw new IOException(labelsFile + ": expected " + images.count() + " labels (one per image of "
                    + imagesFile + "), got " + labels.length);
        }
        return new ImageDataset(name, images.imageShape(), images.data(), labels);
    }
}
