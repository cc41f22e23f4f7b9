package io.flowrecon.devstack.stack;

import io.flowrecon.shared.image.CelebaFaces;
import io.flowrecon.shared.image.Image;
import io.flowrecon.shared.image.ImageFiles;
import io.flowrecon.shared.image.ImageOps;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * One of the local stack's demos: which models to compare, at which measurement counts m, on which images.
 * <ul>
 *   <li>{@code fmnist}: the first Fashion-MNIST test images (Debian's package), lasso-dct against the
 *       fmnist-glow and fmnist-dcgan priors, m from 100 (13% of n = 784) to n;</li>
 *   <li>{@code celeba}: the first held-out CelebA test faces (009001..), 32 x 32 x 3 through the training recipe,
 *       lasso-dct against celeba32-glow and celeba32-dcgan, m/n = 0.05, 0.1, 0.25, 0.5;</li>
 *   <li>{@code ffhq}: the same priors on FFHQ faces (the out-of-distribution set), area-resized to 32 x 32;</li>
 *   <li>{@code bias}: the paper's dataset-bias experiment: Fashion-MNIST test images of the class the biased
 *       priors never saw ({@link #HELD_OUT_CLASS}, bags), lasso-dct against fmnist-biased-glow and
 *       fmnist-biased-dcgan.</li>
 * </ul>
 * Face data come from {@code FLOWRECON_DATA} (default {@code ../shared/data}, beside the repository); nothing is
 * downloaded.
 */
public record DemoSet(String name, List<String> models, List<Integer> measurements, String source, Loader images) {

    public static final List<String> NAMES = List.of("fmnist", "celeba", "ffhq", "bias");
    static final int IMAGES = 3;
    /** The Fashion-MNIST class left out of the biased priors' training set (8 = bag; see training/README.md). */
    public static final int HELD_OUT_CLASS = 8;

    /** Reads the images; an {@link IOException} whose message says what is missing. */
    @FunctionalInterface
    public interface Loader {
        List<Image> load() throws IOException;
    }

    /**
     * @param name     one of {@link #NAMES}
     * @param dataRoot the team's data folder (celeba/, ffhq-dev/)
     */
    public static DemoSet named(String name, Path dataRoot) {
        Path celeba = dataRoot.resolve("celeba");
        Path ffhq = dataRoot.resolve("ffhq-dev");
        int n = 3 * CelebaFaces.SIZE * CelebaFaces.SIZE;
        List<Integer> faceMeasurements = Stream.of(0.05, 0.1, 0.25, 0.5)
                .map(ratio -> (int) Math.round(ratio * n)).toList();
        return switch (name) {
            case "fmnist" -> new DemoSet(name, List.of("lasso-dct", "fmnist-glow", "fmnist-dcgan"),
                    List.of(100, 200, 400, 784), FashionMnist.DEBIAN_TEST_IMAGES.toString(),
                    () -> FashionMnist.read(requireFile(FashionMnist.DEBIAN_TEST_IMAGES,
                            "Debian: `sudo apt-get install dataset-fashion-mnist`"), IMAGES));
            case "bias" -> new DemoSet(name, List.of("lasso-dct", "fmnist-biased-glow", "fmnist-biased-dcgan"),
                    List.of(100, 200, 400, 784), FashionMnist.DEBIAN_TEST_IMAGES + " (class " + HELD_OUT_CLASS
                    + ", held out of the biased priors' training)",
                    () -> FashionMnist.readClass(requireFile(FashionMnist.DEBIAN_TEST_IMAGES,
                            "Debian: `sudo apt-get install dataset-fashion-mnist`"), FashionMnist.DEBIAN_TEST_LABELS,
                            HELD_OUT_CLASS, IMAGES));
            case "celeba" -> new DemoSet(name, List.of("lasso-dct", "celeba32-glow", "celeba32-dcgan"),
                    faceMeasurements, celeba + " (test faces from 009001)",
                    () -> CelebaFaces.testFaces(requireFolder(celeba), IMAGES));
            case "ffhq" -> new DemoSet(name, List.of("lasso-dct", "celeba32-glow", "celeba32-dcgan"),
                    faceMeasurements, ffhq + " (out of distribution for the CelebA priors)",
                    () -> ffhqFaces(requireFolder(ffhq), IMAGES, CelebaFaces.SIZE));
            default -> throw new IllegalArgumentException("demo must be one of " + NAMES + ", got '" + name + "'");
        };
    }

    /** The first {@code count} PNGs of the folder by name, area-resized to size x size and 8-bit levels. */
    static List<Image> ffhqFaces(Path folder, int count, int size) throws IOException {
        List<Path> files;
        try (Stream<Path> list = Files.list(folder)) {
            files = list.filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".png"))
                    .sorted().limit(count).toList();
        }
        if (files.size() < count) {
            throw new IOException(folder + " holds " + files.size() + " PNG files, " + count + " needed");
        }
        List<Image> faces = new ArrayList<>(count);
        for (Path file : files) {
            faces.add(ImageFiles.roundTo8Bits(ImageOps.resizeArea(ImageFiles.readRgb(file), size, size)));
        }
        return faces;
    }

    private static Path requireFile(Path file, String hint) throws IOException {
        if (!Files.isReadable(file)) {
            throw new IOException(file + " is missing (" + hint + ")");
        }
        return file;
    }

    private static Path requireFolder(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            throw new IOException(folder + " is missing (set FLOWRECON_DATA to the folder that holds celeba/ and "
                    + "ffhq-dev/)");
        }
        return folder;
    }
}
