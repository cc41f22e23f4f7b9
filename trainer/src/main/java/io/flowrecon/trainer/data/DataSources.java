package io.flowrecon.trainer.data;

import io.flowrecon.shared.image.CelebaFaces;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Training and test sets named on the command line as {@code kind:folder} (paths come from configuration and
 * are never copied into the repository):
 * <ul>
 *   <li>{@code fmnist:/usr/share/datasets/fashion-mnist} (or {@code mnist:...}): the gzipped IDX train and
 *       t10k splits, 1 x 28 x 28;</li>
 *   <li>{@code celeba:/path/to/celeba}: the aligned 89 x 109 thumbnails, train 000001..009000 and test
 *       009001..010000 through {@link CelebaFaces} (crop, resize to 32 x 32).</li>
 * </ul>
 */
public final class DataSources {
    private DataSources() {
    }

    /** A train/test pair and the name a model card gives the data. */
    public record Split(String dataset, ImageDataset train, ImageDataset test) {
    }

    /**
     * @param spec          {@code kind:folder}
     * @param excludedClass a class left out of the training set (a biased prior), or null
     * @param limit         use at most this many training images (0: all), for smoke runs
     */
    public static Split open(String spec, Integer excludedClass, int limit) throws IOException {
        int colon = spec.indexOf(':');
        if (colon < 1) {
            throw new IllegalArgumentException("--data must be kind:folder (fmnist:DIR, mnist:DIR or celeba:DIR), got "
                    + spec);
        }
        String kind = spec.substring(0, colon);
        Path folder = Path.of(spec.substring(colon + 1));
        Split split = switch (kind) {
            case "fmnist", "mnist" -> {
                ImageDataset train = MnistFolders.readSplit(folder, "train");
                ImageDataset test = MnistFolders.readSplit(folder, "test");
                yield new Split(kind.equals("fmnist") ? "fashion-mnist" : "mnist", train, test);
            }
            case "celeba" -> {
                if (excludedClass != null) {
                    throw new IllegalArgumentException("--exclude-class needs a labelled dataset; celeba has no labels");
                }
                int last = limit > 0 ? Math.min(limit, CelebaFaces.TRAIN_LAST) : CelebaFaces.TRAIN_LAST;
                ImageDataset train = ImageFolders.readFaces("celeba/train",
                        CelebaFaces.numbered(folder, CelebaFaces.TRAIN_FIRST, last), CelebaFaces.SIZE);
                ImageDataset test = ImageFolders.readFaces("celeba/test",
                        CelebaFaces.numbered(folder, CelebaFaces.TEST_FIRST, CelebaFaces.TEST_LAST), CelebaFaces.SIZE);
                yield new Split("celeba", train, test);
            }
            default -> throw new IllegalArgumentException("--data kind must be fmnist, mnist or celeba, got " + kind);
        };
        ImageDataset train = split.train();
        String dataset = split.dataset();
        if (excludedClass != null) {
            train = train.withoutClass(excludedClass);
            dataset = dataset + "-without-class-" + excludedClass;
        }
        if (limit > 0 && train.size() > limit) {
            train = train.range(0, limit);
        }
        return new Split(dataset, train, split.test());
    }
}
