package io.flowrecon.worker.cli.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowrecon.shared.image.Image;
import io.flowrecon.shared.image.Png;
import io.flowrecon.shared.model.ModelBundle;
import io.flowrecon.shared.model.ModelCard;
import io.flowrecon.worker.cli.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelCommandTest {
    private static final Map<String, String> ENV = Map.of("FLOWRECON_INTRA_OP_THREADS", "1");

    @TempDir
    Path dir;

    @Test
    void initGlowWritesAVerifiedBundleWithASampleGrid() throws Exception {
        Path out = dir.resolve("tiny-glow");
        CliRun run = model(List.of("init-glow", "--channels", "1", "--size", "8", "--levels", "2", "--steps", "1",
                "--hidden", "4", "--seed", "3", "--out", out.toString(), "--samples", "5"), ENV);
        assertEquals(0, run.code(), run.text());
        ModelCard card = ModelBundle.read(out).card();
        assertEquals("tiny-glow", card.id());
        assertEquals(Set.of(ModelBundle.GENERATOR, ModelBundle.ENCODER, ModelCommand.SAMPLES), card.files().keySet());
        assertEquals(3, ((Number) card.training().get("seed")).intValue());
        // 5 samples tile as 3 columns x 2 rows of 8x8 with 2-pixel gaps around and between them
        Image grid = Png.decode(Files.readAllBytes(out.resolve(ModelCommand.SAMPLES)));
        assertEquals(1, grid.channels());
        assertEquals(2 * 8 + 3 * 2, grid.height());
        assertEquals(3 * 8 + 4 * 2, grid.width());
        assertTrue(run.out().contains("wrote glow bundle 'tiny-glow'"), run.out());
    }

    @Test
    void initDcganWritesAGeneratorOnlyBundle() throws Exception {
        Path out = dir.resolve("d");
        CliRun run = model(List.of("init-dcgan", "--channels", "3", "--size", "32", "--latent", "8",
                "--features", "4", "--seed", "1", "--out", out.toString(), "--id", "celeba32-dcgan"), ENV);
        assertEquals(0, run.code(), run.text());
        ModelCard card = ModelBundle.read(out).card();
        assertEquals("dcgan", card.kind());
        assertEquals("celeba32-dcgan", card.id());
        assertEquals(Set.of(ModelBundle.GENERATOR, ModelCommand.SAMPLES), card.files().keySet());
    }

    @Test
    void aMissingFlagIsNamed() throws Exception {
        CliRun run = model(List.of("init-glow", "--channels", "1", "--size", "8", "--levels", "2", "--steps", "1",
                "--seed", "3", "--out", dir.resolve("x").toString()), ENV);
        assertEquals(2, run.code());
        assertTrue(run.err().startsWith("flowrecon model init-glow: Missing required option: '--hidden=H'"), run.err());
        assertTrue(run.err().contains("Try 'flowrecon model init-glow --help'"), run.err());
    }

    @Test
    void aBadValueOrArchitectureIsNamed() throws Exception {
        CliRun notAnInteger = model(List.of("init-dcgan", "--channels", "one", "--size", "32", "--latent", "8",
                "--seed", "1", "--out", dir.resolve("a").toString()), ENV);
        CliRun badArchitecture = model(List.of("init-glow", "--channels", "1", "--size", "28", "--levels", "3",
                "--steps", "1", "--hidden", "4", "--seed", "3", "--out", dir.resolve("b").toString()), ENV);
        CliRun notPositive = model(List.of("init-glow", "--channels", "0", "--size", "8", "--levels", "1",
                "--steps", "1", "--hidden", "4", "--seed", "3", "--out", dir.resolve("c").toString()), ENV);
        assertEquals(2, notAnInteger.code());
        assertEquals(2, badArchitecture.code());
        assertEquals(2, notPositive.code());
        assertTrue(notAnInteger.err().contains("Invalid value for option '--channels': 'one' is not an int"),
                notAnInteger.err());
        assertTrue(badArchitecture.err().startsWith("flowrecon model init-glow: ")
                && badArchitecture.err().contains("size must be divisible by 2^levels = 8"), badArchitecture.err());
        assertTrue(notPositive.err().contains("--channels must be a positive integer, got 0"), notPositive.err());
        assertTrue(!Files.exists(dir.resolve("b")), "nothing is written for a refused architecture");
    }

    @Test
    void anExistingBundleIsNotOverwritten() throws Exception {
        Path out = dir.resolve("g");
        List<String> args = List.of("init-glow", "--channels", "1", "--size", "4", "--levels", "1", "--steps", "1",
                "--hidden", "2", "--seed", "3", "--out", out.toString(), "--samples", "0");
        assertEquals(0, model(args, ENV).code());
        CliRun again = model(args, ENV);
        assertEquals(2, again.code());
        assertTrue(again.err().contains("already holds a bundle"), again.err());
    }

    @Test
    void modelWithoutASubCommandNamesThem() {
        CliRun run = CliRun.of(ENV, "model");
        assertEquals(2, run.code());
        assertTrue(run.err().contains("init-glow, init-dcgan"), run.err());
        CliRun help = CliRun.of(ENV, "model", "init-dcgan", "--help");
        assertEquals(0, help.code());
        assertTrue(help.out().contains("--latent") && help.out().contains("--features"), help.out());
    }

    private static CliRun model(List<String> args, Map<String, String> env) {
        List<String> line = new java.util.ArrayList<>(List.of("model"));
        line.addAll(args);
        return CliRun.of(env, line);
    }
}
