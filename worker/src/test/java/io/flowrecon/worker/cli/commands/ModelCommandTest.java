package io.flowrecon.worker.cli.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowrecon.shared.image.Image;
import io.flowrecon.shared.image.Png;
import io.flowrecon.shared.model.ModelBundle;
import io.flowrecon.shared.model.ModelCard;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelCommandTest {
    private static final Map<String, String> ENV = Map.of("FLOWRECON_INTRA_OP_THREADS", "1");

    private final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
    private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    private final ModelCommand command = new ModelCommand(new PrintStream(outBytes, true, StandardCharsets.UTF_8),
            new PrintStream(errBytes, true, StandardCharsets.UTF_8));

    @TempDir
    Path dir;

    @Test
    void initGlowWritesAVerifiedBundleWithASampleGrid() throws Exception {
        Path out = dir.resolve("tiny-glow");
        int code = command.run(List.of("init-glow", "--channels", "1", "--size", "8", "--levels", "2", "--steps", "1",
                "--hidden", "4", "--seed", "3", "--out", out.toString(), "--samples", "5"), ENV);
        assertEquals(0, code, errBytes.toString(StandardCharsets.UTF_8));
        ModelCard card = ModelBundle.read(out).card();
        assertEquals("tiny-glow", card.id());
        assertEquals(Set.of(ModelBundle.GENERATOR, ModelBundle.ENCODER, ModelCommand.SAMPLES), card.files().keySet());
        assertEquals(3, ((Number) card.training().get("seed")).intValue());
        // 5 samples tile as 3 columns x 2 rows of 8x8 with 2-pixel gaps
        Image grid = Png.decode(Files.readAllBytes(out.resolve(ModelCommand.SAMPLES)));
        assertEquals(1, grid.channels());
        assertEquals(2 * 8 + 2, grid.height());
        assertEquals(3 * 8 + 2 * 2, grid.width());
        assertTrue(outBytes.toString(StandardCharsets.UTF_8).contains("wrote glow bundle 'tiny-glow'"));
    }

    @Test
    void initDcganWritesAGeneratorOnlyBundle() throws Exception {
        Path out = dir.resolve("d");
        int code = command.run(List.of("init-dcgan", "--channels", "3", "--size", "32", "--latent", "8",
                "--features", "4", "--seed", "1", "--out", out.toString(), "--id", "celeba32-dcgan"), ENV);
        assertEquals(0, code, errBytes.toString(StandardCharsets.UTF_8));
        ModelCard card = ModelBundle.read(out).card();
        assertEquals("dcgan", card.kind());
        assertEquals("celeba32-dcgan", card.id());
        assertEquals(Set.of(ModelBundle.GENERATOR, ModelCommand.SAMPLES), card.files().keySet());
    }

    @Test
    void aMissingFlagIsNamed() throws Exception {
        int code = command.run(List.of("init-glow", "--channels", "1", "--size", "8", "--levels", "2", "--steps", "1",
                "--seed", "3", "--out", dir.resolve("x").toString()), ENV);
        assertEquals(2, code);
        assertTrue(errBytes.toString(StandardCharsets.UTF_8).contains("model init-glow: --hidden is required"),
                errBytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aBadValueOrArchitectureIsNamed() throws Exception {
        assertEquals(2, command.run(List.of("init-dcgan", "--channels", "one", "--size", "32", "--latent", "8",
                "--seed", "1", "--out", dir.resolve("a").toString()), ENV));
        assertEquals(2, command.run(List.of("init-glow", "--channels", "1", "--size", "28", "--levels", "3",
                "--steps", "1", "--hidden", "4", "--seed", "3", "--out", dir.resolve("b").toString()), ENV));
        String err = errBytes.toString(StandardCharsets.UTF_8);
        assertTrue(err.contains("--channels must be an integer, got 'one'"), err);
        assertTrue(err.contains("size must be divisible by 2^levels = 8"), err);
        assertTrue(!Files.exists(dir.resolve("b")), "nothing is written for a refused architecture");
    }

    @Test
    void anExistingBundleIsNotOverwritten() throws Exception {
        Path out = dir.resolve("g");
        List<String> args = List.of("init-glow", "--channels", "1", "--size", "4", "--levels", "1", "--steps", "1",
                "--hidden", "2", "--seed", "3", "--out", out.toString(), "--samples", "0");
        assertEquals(0, command.run(args, ENV));
        assertEquals(2, command.run(args, ENV));
        assertTrue(errBytes.toString(StandardCharsets.UTF_8).contains("already holds a bundle"));
    }
}
