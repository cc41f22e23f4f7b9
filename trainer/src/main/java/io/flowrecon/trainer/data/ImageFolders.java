package io.flowrecon.trainer.data;

import io.flowrecon.shared.image.CelebaFaces;
import io.flowrecon.shared.image.ImageFiles;
import io.flowrecon.shared.image.ImageOps;
import io.flowrecon.shared.job.ImageShape;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads a list of CelebA thumbnails into an 8-bit RGB {@link ImageDataset} through the shared recipe
 * ({@link CelebaFaces#face}: crop, {@link ImageOps#resizeArea}, 8-bit levels).
 */
public final class ImageFolders {
    private ImageFolders() {
    }

    public static ImageDataset readFaces(String name, List<Path> files, int size) throws IOException {
        ImageShape shape = new ImageShape(3, size, size);
        byte[] pixels = new byte[files.size() * shape.size()];
        for (int i = 0; i < files.size(); i++) {
            float[] v = CelebaFaces.face(files.get(i), size).values();
            for (int k = 0; k < v.length; k++) {
                pixels[i * shape.size() + k] = (byte) Math.round(v[k] * 255f);
            }
        }
        return new ImageDataset(name, shape, pixels, null);
    }
}
