package io.flowrecon.trainer.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowrecon.adjoint.onnx.OnnxFiles;
import io.flowrecon.shared.job.ImageShape;
import io.flowrecon.shared.model.ModelBundle;
import io.flowrecon.shared.prior.BatchSize;
import io.flowrecon.shared.prior.DcganArchitecture;
import io.flowrecon.shared.prior.GlowArchitecture;
import io.flowrecon.shared.prior.GlowGraphs;
import io.flowrecon.shared.prior.GlowWeights;
import io.flowrecon.shared.prior.PriorBundles;
import io.flowrecon.shared.prior.PriorCardInfo;
import io.flowrecon.trainer.data.ImageDataset;
import io.flowrecon.trainer.dcgan.DcganTrainer;
import io.flowrecon.trainer.glow.GlowTrainer;
import io.flowrecon.trainer.optim.Adam;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * verify and sample on tiny bundles trained here for a few steps. The tolerance is verify's 1e-4 max abs
 * difference; the tampered bundles are off by orders of magnitude more (other random weights), so the failing
 * cases cannot pass by rounding luck.
 */
class VerifyAndSampleTest {
    static final Path FMNIST = Path.of("/usr/share/datasets/fashion-mnist");
    /** 2 levels (a split prior and a top prior), 2 steps each, 3 channels of 8x8. */
    static final GlowArchitecture GLOW = new GlowArchitecture(3, 8, 2, 2, 8);
    static final DcganArchitecture DCGAN = new DcganArchitecture(1, 16, 8, 4);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void trainedGlowBundlePassesVerify(@TempDir Path dir) throws Exception {
        Path bundle = glowBundle(dir);
        assertTrue(Files.isRegularFile(bundle.resolve(BundleWeights.FILE)));
        assertTrue(ModelBundle.read(bundle).card().files().containsKey(BundleWeights.FILE), "weights.bin hashed");
        Result r = run("verify", bundle.toString());
        assertEquals(0, r.code, r.text());
        JsonNode j = r.json();
        assertTrue(j.get("pass").asBoolean(), r.text());
        assertTrue(j.get("hashes_ok").asBoolean());
        for (String key : List.of("encoder_parity_max_abs", "generator_parity_max_abs", "inversion_z_max_abs",
                "inversion_x_max_abs")) {
            assertTrue(j.get(key).isNumber() && j.get(key).asDouble() <= 1e-4, key + " in " + r.out);
        }
        assertFalse(j.get("onnx_checker").asText().startsWith("failed"), r.out);
        // verifying leaves the files as they were (onnx 1.12's path checker would rewrite them)
        ModelBundle.read(bundle);
    }

    @Test
    void tamperedGeneratorFailsVerify(@TempDir Path dir) throws Exception {
        Path bundle = glowBundle(dir);
        ModelBundle before = ModelBundle.read(bundle);
        // another Glow's generator, with the card's hashes updated: only parity and inversion can catch it
        OnnxFiles.write(GlowGraphs.generator(GlowWeights.random(GLOW, 99), BatchSize.symbolic()),
                bundle.resolve(ModelBundle.GENERATOR));
        ModelBundle.write(bundle, before.card(), before.card().files().keySet());
        Result r = run("verify", bundle.toString());
        assertEquals(1, r.code, r.text());
        JsonNode j = r.json();
        assertTrue(j.get("hashes_ok").asBoolean(), r.out);
        assertFalse(j.get("pass").asBoolean());
        assertTrue(j.get("generator_parity_max_abs").asDouble() > 1e-2, r.out);
        assertTrue(j.get("inversion_z_max_abs").asDouble() > 1e-2, r.out);
        assertTrue(j.get("encoder_parity_max_abs").asDouble() <= 1e-4, "the encoder is untouched: " + r.out);
    }

    @Test
    void changedFileWithoutNewHashFailsVerify(@TempDir Path dir) throws Exception {
        Path bundle = glowBundle(dir);
        OnnxFiles.write(GlowGraphs.generator(GlowWeights.random(GLOW, 98), BatchSize.symbolic()),
                bundle.resolve(ModelBundle.GENERATOR));
        Result r = run("verify", bundle.toString());
        assertEquals(1, r.code, r.text());
        assertFalse(r.json().get("hashes_ok").asBoolean(), r.out);
        assertTrue(r.err.contains("generator.onnx has sha256"), r.err);
    }

    @Test
    void weightsThatDisagreeWithTheOnnxFilesFailVerify(@TempDir Path dir) throws Exception {
        Path bundle = glowBundle(dir);
        BundleWeights.attach(ModelBundle.read(bundle), BundleWeights.ofGlow(GlowWeights.random(GLOW, 97)));
        Result r = run("verify", bundle.toString());
        assertEquals(1, r.code, r.text());
        JsonNode j = r.json();
        assertTrue(j.get("hashes_ok").asBoolean(), r.out);
        assertTrue(j.get("encoder_parity_max_abs").asDouble() > 1e-2, r.out);
        assertTrue(j.get("generator_parity_max_abs").asDouble() > 1e-2, r.out);
        // the ONNX pair still inverts itself
        assertTrue(j.get("inversion_x_max_abs").asDouble() <= 1e-4, r.out);
    }

    @Test
    void bundleWithoutWeightsFailsButStillMeasuresTheOnnxPair(@TempDir Path dir) throws Exception {
        Path bundle = glowBundle(dir);
        ModelBundle b = ModelBundle.read(bundle);
        // as an older trainer wrote it: the card lists only the ONNX files
        ModelBundle.write(bundle, b.card(), List.of(ModelBundle.ENCODER, ModelBundle.GENERATOR));
        Result r = run("verify", bundle.toString());
        assertEquals(1, r.code, r.text());
        JsonNode j = r.json();
        assertEquals("absent", j.get("weights").asText());
        assertTrue(j.get("encoder_parity_max_abs").isNull(), r.out);
        assertTrue(j.get("inversion_x_max_abs").asDouble() <= 1e-4, r.out);
        assertTrue(r.err.contains("--resume --max-steps"), r.err);
    }

    @Test
    void dcganBundlePassesAndFailsOnOtherWeights(@TempDir Path dir) throws Exception {
        DcganTrainer trainer = new DcganTrainer(DCGAN, new DcganTrainer.Settings(8, 3,
                new Adam.Settings(2e-4, 0.5, 0.999, 1e-8, 0, 0)), blobs(new ImageShape(1, 16, 16), 16, 2));
        for (int t = 0; t < 2; t++) {
            trainer.trainStep();
        }
        Path bundle = dir.resolve("dcgan");
        var weights = trainer.model().weights();
        BundleWeights.attach(PriorBundles.writeDcgan(bundle, weights, info("toy-dcgan")),
                BundleWeights.ofDcgan(weights));
        Result good = run("verify", bundle.toString());
        assertEquals(0, good.code, good.text());
        assertTrue(good.json().get("generator_parity_max_abs").asDouble() <= 1e-4, good.out);
        assertTrue(good.json().get("inversion_z_max_abs").isNull(), "a DCGAN has no encoder: " + good.out);

        Result sample = run("sample", bundle.toString(), "--n", "5", "--out", dir.resolve("g.png").toString());
        assertEquals(0, sample.code, sample.text());
        BufferedImage image = ImageIO.read(dir.resolve("g.png").toFile());
        // 3 columns x 2 rows of 16x16 with 2-pixel borders
        assertEquals(3 * 16 + 4 * 2, image.getWidth());
        assertEquals(2 * 16 + 3 * 2, image.getHeight());

        BundleWeights.attach(ModelBundle.read(bundle), BundleWeights.ofDcgan(
                io.flowrecon.shared.prior.DcganWeights.random(DCGAN, 5)));
        Result bad = run("verify", bundle.toString());
        assertEquals(1, bad.code, bad.text());
        assertTrue(bad.json().get("generator_parity_max_abs").asDouble() > 1e-2, bad.out);
    }

    @Test
    void sampleWritesAGridOfTheRightSize(@TempDir Path dir) throws Exception {
        Path bundle = glowBundle(dir);
        Path png = dir.resolve("out/samples.png");
        Result r = run("sample", bundle.toString(), "--n", "10", "--out", png.toString(), "--seed", "3",
                "--temperature", "0.5");
        assertEquals(0, r.code, r.text());
        BufferedImage image = ImageIO.read(png.toFile());
        // ceil(sqrt(10)) = 4 columns, 3 rows, 8x8 images, 2-pixel borders
        assertEquals(4 * 8 + 5 * 2, image.getWidth());
        assertEquals(3 * 8 + 4 * 2, image.getHeight());
        // the first sample is not blank border: some pixel differs from white
        boolean varied = false;
        for (int y = 2; y < 10; y++) {
            for (int x = 2; x < 10; x++) {
                varied |= (image.getRGB(x, y) & 0xFFFFFF) != 0xFFFFFF;
            }
        }
        assertTrue(varied, "samples drawn into the grid");
    }

    @Test
    void usageErrorsExitWithTwo(@TempDir Path dir) throws Exception {
        assertEquals(2, run("verify").code);
        assertEquals(2, run("verify", dir.toString()).code, "a folder without model.json");
        Result r = run("verify", dir.toString(), "--images", "0");
        assertEquals(2, r.code);
        assertTrue(r.err.contains("--images must be a positive integer"), r.err);
        Result s = run("sample", dir.toString(), "--n", "4");
        assertEquals(2, s.code);
        assertTrue(s.err.startsWith("flowrecon sample: Missing required option: '--out=PNG'"), s.err);
        assertTrue(s.err.contains("Try 'flowrecon sample --help'"), s.err);
    }

    /** The whole path from the command line: train on Fashion-MNIST, export, verify on its test images. */
    @Test
    void glowTrainedByTheCliVerifiesOnFashionMnistTestImages(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isDirectory(FMNIST), "Fashion-MNIST not installed at " + FMNIST);
        Result train = run("train", "glow", "--data", "fmnist:" + FMNIST, "--out", dir.toString(), "--limit", "32",
                "--levels", "2", "--steps", "1", "--hidden", "8", "--batch", "8", "--max-steps", "2",
                "--eval-images", "16", "--minutes", "5");
        assertEquals(0, train.code, train.text());
        Result r = run("verify", dir.resolve("bundle").toString(), "--images", "8");
        assertEquals(0, r.code, r.text());
        assertTrue(r.json().get("test_images").asText().contains("test"), r.out);
        assertEquals(8, r.json().get("images").asInt());
    }

    private static Path glowBundle(Path dir) throws Exception {
        GlowTrainer trainer = GlowTrainer.start(GLOW, new GlowTrainer.Settings(8, 8, 17,
                new Adam.Settings(2e-3, 0.9, 0.999, 1e-8, 2, 50)), blobs(GLOW.imageShape(), 16, 3));
        for (int t = 0; t < 3; t++) {
            trainer.trainStep();
        }
        Path bundle = dir.resolve("glow");
        GlowWeights weights = trainer.model().weights();
        BundleWeights.attach(PriorBundles.writeGlow(bundle, weights, info("toy-glow")), BundleWeights.ofGlow(weights));
        return bundle;
    }

    private static PriorCardInfo info(String id) {
        return new PriorCardInfo(id, "toy-blobs", "train", Map.of("steps", 3), null, Instant.parse(
                "2026-01-01T00:00:00Z"));
    }

    /** Smooth random blobs (low-frequency images, something to learn), as the trainer's other tests use. */
    static ImageDataset blobs(ImageShape shape, int count, long seed) {
        Random random = new Random(seed);
        int s = shape.height();
        byte[] pixels = new byte[count * shape.size()];
        for (int i = 0; i < count; i++) {
            double cx = random.nextDouble() * s;
            double cy = random.nextDouble() * s;
            for (int c = 0; c < shape.channels(); c++) {
                double level = 0.3 + 0.5 * random.nextDouble();
                for (int y = 0; y < s; y++) {
                    for (int x = 0; x < s; x++) {
                        double v = level * Math.exp(-((x - cx) * (x - cx) + (y - cy) * (y - cy)) / s);
                        pixels[i * shape.size() + (c * s + y) * s + x] = (byte) Math.round(v * 255);
                    }
                }
            }
        }
        return new ImageDataset("toy-blobs", shape, pixels, null);
    }

    private record Result(int code, String out, String err) {
        String text() {
            return out + err;
        }

        JsonNode json() throws Exception {
            String[] lines = out.strip().split("\n");
            return JSON.readTree(lines[lines.length - 1]);
        }
    }

    private static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = io.flowrecon.trainer.TrainCli.run(new ArrayList<>(List.of(args)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
