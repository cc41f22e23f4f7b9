package io.flowrecon.api.imageset;

import io.flowrecon.shared.image.CelebaFaces;
import io.flowrecon.shared.image.Image;
import io.flowrecon.shared.image.ImageFiles;
import io.flowrecon.shared.image.ImageOps;
import io.flowrecon.shared.image.Png;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * A set declared by the server's configuration: a folder on the API host and how its files become images.
 *
 * @param name   the set's name
 * @param folder where the files are
 * @param recipe {@code celeba}: the CelebA recipe of {@link CelebaFaces} (numbered JPEGs, the split's range,
 *               the face crop, area resize to {@code size}); {@code plain}: every PNG or JPEG of the folder in
 *               name order, centre-cropped to a square and area-resized to {@code size} when a size is given
 * @param split  for {@code celeba}: {@code train} or {@code test}
 * @param size   side of the square images; 0 keeps a plain folder's own sizes
 * @param limit  at most this many images (the first ones in order)
 */
record FolderRecipe(String name, Path folder, String recipe, String split, int size, int limit) {

    FolderRecipe {
        if (!recipe.equals("celeba") && !recipe.equals("plain")) {
            throw new IllegalArgumentException("image set '" + name + "': recipe must be celeba or plain, got '"
                    + recipe + "'");
        }
        if (recipe.equals("celeba") && !split.equals("train") && !split.equals("test")) {
            throw new IllegalArgumentException("image set '" + name + "': a celeba split must be train or test, got '"
                    + split + "'");
        }
        if (recipe.equals("celeba") && size <= 0) {
            throw new IllegalArgumentException("image set '" + name + "': the celeba recipe needs a size > 0");
        }
        if (limit <= 0) {
            throw new IllegalArgumentException("image set '" + name + "': limit must be > 0, got " + limit);
        }
    }

    /** What the set's rows record as their source, so that a changed configuration replaces the set. */
    String source() {
        return "folder " + folder.toAbsolutePath().normalize() + " recipe=" + recipe
                + (recipe.equals("celeba") ? " split=" + split : "") + " size=" + size + " limit=" + limit;
    }

    /** The entries the recipe makes, as 8-bit PNGs (what jobs will read). */
    List<ImageSetEntry> entries() throws IOException {
        List<ImageSetEntry> entries = new ArrayList<>();
        for (Path file : files()) {
            Image image = recipe.equals("celeba") ? CelebaFaces.face(file, size) : plain(file);
            String field = "folder:" + file.getFileName();
            entries.add(new ImageSetEntry(field, file.getFileName().toString(), Png.encode(image)));
        }
        return entries;
    }

    private List<Path> files() throws IOException {
        if (recipe.equals("celeba")) {
            int first = split.equals("train") ? CelebaFaces.TRAIN_FIRST : CelebaFaces.TEST_FIRST;
            int last = split.equals("train") ? CelebaFaces.TRAIN_LAST : CelebaFaces.TEST_LAST;
            return CelebaFaces.numbered(folder, first, Math.min(last, first + limit - 1)).stream()
                    .filter(Files::isRegularFile).toList();
        }
        try (Stream<Path> listing = Files.list(folder)) {
            return listing.filter(Files::isRegularFile).filter(FolderRecipe::isImageFile).sorted().limit(limit).toList();
        }
    }

    private Image plain(Path file) throws IOException {
        Image image = file.toString().toLowerCase(Locale.ROOT).endsWith(".png")
                ? Png.decode(Files.readAllBytes(file)) : ImageFiles.readRgb(file);
        return size > 0 ? ImageFiles.roundTo8Bits(ImageOps.cropAndResize(image, size, size)) : image;
    }

    private static boolean isImageFile(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return !name.startsWith(".") && (name.endsWith(".png") || name.endsWith(".jpg") || name.endsWith(".jpeg"));
    }
}
