package io.flowrecon.trainer.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.flowrecon.shared.image.CelebaFaces;
import io.flowrecon.shared.image.ImageFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DatasetsTest {
    /** The installed Fashion-MNIST (Debian's dataset-fashion-mnist); tests that need it are skipped where it is missing. */
    static final Path FMNIST = Path.of(System.getenv().getOrDefault("FLOWRECON_FMNIST_DIR",
            "/usr/share/datasets/fashion-mnist"));
    static final Path CELEBA = Path.of(System.getenv().getOrDefault("FLOWRECON_CELEBA_DIR",
            "/work/shared/data/celeba"));

    @Test
    void readsTheFashionMnistTestSplitWithBalancedLabels() throws Exception {
        assumeTrue(Files.isDirectory(FMNIST), "Fashion-MNIST not installed at " + FMNIST);
        ImageDataset test = MnistFolders.readSplit(FMNIST, "test");
        assertEquals(10_000, test.size());
        assertEquals(1, test.shape().channels());
        assertEquals(28, test.shape().height());
        assertEquals(28, test.shape().width());
        int[] perClass = new int[10];
        for (int label : test.labels()) {
            perClass[label]++;
        }
        // Fashion-MNIST's test split has exactly 1000 images per class (Xiao et al. 2017).
        for (int c = 0; c < 10; c++) {
            assertEquals(1000, perClass[c], "class " + c);
        }
        // Real images: dark background corners, some bright pixels.
        assertEquals(0, test.level(0, 0));
        int max = 0;
        for (int k = 0; k < 784; k++) {
            max = Math.max(max, test.level(0, k));
        }
        assertTrue(max > 200, "brightest pixel of image 0 is " + max);
    }

    @Test
    void classFilterRemovesExactlyThatClass() throws Exception {
        assumeTrue(Files.isDirectory(FMNIST), "Fashion-MNIST not installed at " + FMNIST);
        ImageDataset test = MnistFolders.readSplit(FMNIST, "test");
        ImageDataset biased = test.withoutClass(3);
        assertEquals(9_000, biased.size());
        for (int label : biased.labels()) {
            assertTrue(label != 3, "class 3 must be excluded");
        }
        // The kept images are the source's, in order: the first kept image equals the first non-3 source image.
        int first = 0;
        while (test.labels()[first] == 3) {
            first++;
        }
        for (int k = 0; k < 784; k++) {
            assertEquals(test.level(first, k), biased.level(0, k));
        }
    }

    @Test
    void celebaRecipeCropsTheFaceSquareAndResizesTo32() throws Exception {
        List<Path> files = CelebaFaces.numbered(CELEBA, 1, 3);
        assumeTrue(files.stream().allMatch(Files::isRegularFile), "CelebA thumbnails not at " + CELEBA);
        ImageDataset set = ImageFolders.readFaces("celeba", files, 32);
        assertEquals(3, set.size());
        assertEquals(3 * 32 * 32, set.shape().size());
        // Each output pixel is the mean of its (89/32)^2 source area, so the image means agree with the
        // cropped source's mean up to the 8-bit rounding of the output (<= 0.5/255) and float sums.
        for (int i = 0; i < 3; i++) {
            var crop = ImageFiles.readRgb(files.get(i), CelebaFaces.CROP);
            assertEquals(89, crop.height());
            double sourceMean = mean(crop.values());
            double outMean = mean(set.image(i));
            assertEquals(sourceMean, outMean, 0.5 / 255 + 1e-4, "image " + (i + 1));
        }
        // Different faces give different images.
        assertFalse(java.util.Arrays.equals(set.image(0), set.image(1)));
    }

    @Test
    void dequantisationSpreadsEachBinUniformly() {
        // one 1x2x2 image with levels 0, 17, 128, 255
        byte[] pixels = {0, 17, (byte) 128, (byte) 255};
        ImageDataset one = new ImageDataset("toy", new io.flowrecon.shared.job.ImageShape(1, 2, 2), pixels, null);
        Dequantizer fiveBits = new Dequantizer(5);
        float[] out = new float[4];
        int[] bins = {0, 17 >> 3, 128 >> 3, 255 >> 3};
        SplittableRandom random = new SplittableRandom(1);
        double[] sumU = new double[4];
        int draws = 2000;
        for (int t = 0; t < draws; t++) {
            fiveBits.batch(one, new int[] {0}, random, out);
            for (int k = 0; k < 4; k++) {
                double u = out[k] * 32 - bins[k];
                // float rounding of (b + u) / 32 keeps u within 1e-5 of [0, 1)
                assertTrue(u > -1e-5 && u < 1 + 1e-5, "u = " + u + " at " + k);
                sumU[k] += u;
            }
        }
        // mean of 2000 U(0,1) draws: std 0.29 / sqrt(2000) = 0.0065; 5 sigma = 0.033
        for (int k = 0; k < 4; k++) {
            assertEquals(0.5, sumU[k] / draws, 0.033, "mean noise at " + k);
        }
        fiveBits.batch(one, new int[] {0}, null, out);
        assertEquals((31 + 0.5) / 32, out[3], 1e-7);
        assertEquals(5 * 4 * Math.log(2), fiveBits.discretisationNats(4), 1e-12);
    }

    private static double mean(float[] v) {
        double s = 0;
        for (float x : v) {
            s += x;
        }
        return s / v.length;
    }
}
