package io.flowrecon.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.flowrecon.shared.model.ModelBundle;
import io.flowrecon.trainer.glow.GlowCheckpoints;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainCliTest {
    static final Path FMNIST = Path.of("/usr/share/datasets/fashion-mnist");

    @Test
    void trainsCheckpointsResumesAndWritesABundle(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isDirectory(FMNIST), "Fashion-MNIST not installed at " + FMNIST);
        List<String> common = List.of("train", "glow", "--data", "fmnist:" + FMNIST, "--out", dir.toString(),
                "--exclude-class", "3", "--limit", "64", "--levels", "2", "--steps", "1", "--hidden", "8",
                "--batch", "8", "--report-every", "1", "--eval-images", "20", "--minutes", "5");
        String first = run(common, "--max-steps", "2");
        assertTrue(first.contains("images/s") && first.contains("eta"), first);
        assertEquals(2, GlowCheckpoints.readInfo(dir.resolve("checkpoint")).step());
        assertEquals("fashion-mnist-without-class-3", GlowCheckpoints.readInfo(dir.resolve("checkpoint")).dataset());

        String second = run(common, "--max-steps", "4", "--resume");
        assertTrue(second.contains("resumed at step 2"), second);
        assertTrue(second.contains("step 3 ") && second.contains("step 4 "), second);
        assertEquals(4, GlowCheckpoints.readInfo(dir.resolve("checkpoint")).step());

        ModelBundle bundle = ModelBundle.read(dir.resolve("bundle"));
        assertEquals("fashion-mnist-without-class-3-glow", bundle.card().id());
        assertTrue(bundle.card().testBitsPerDim() > 0, "test bits/dim recorded");
        // The card says how the prior was made: the command that reproduces it, images seen, the machine.
        Map<String, Object> training = bundle.card().training();
        assertEquals("./flowrecon " + String.join(" ", common) + " --max-steps 4 --resume", training.get("command"));
        assertEquals(32, ((Number) training.get("imagesSeen")).intValue(), "4 steps of batch 8");
        assertTrue(String.valueOf(training.get("machine")).contains("cores visible"), String.valueOf(training.get("machine")));
    }

    @Test
    void trainsAndExportsADcgan(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isDirectory(FMNIST), "Fashion-MNIST not installed at " + FMNIST);
        String text = run(List.of("train", "dcgan", "--data", "fmnist:" + FMNIST, "--out", dir.toString(),
                "--limit", "32", "--latent", "16", "--features", "8", "--batch", "8", "--max-steps", "2",
                "--report-every", "1"));
        assertTrue(text.contains("gLoss") && text.contains("images/s"), text);
        ModelBundle bundle = ModelBundle.read(dir.resolve("bundle"));
        assertEquals("dcgan", bundle.card().kind());
        assertEquals(16, bundle.card().latentSize());
    }

    @Test
    void badOptionsNameTheOptionAndPointToHelp() {
        Result missing = runCli("train", "glow", "--out", "x");
        assertEquals(2, missing.code());
        assertTrue(missing.err().startsWith("flowrecon train: Missing required option: '--data=KIND:DIR'"), missing.err());
        assertTrue(missing.err().contains("Try 'flowrecon train --help'"), missing.err());

        Result family = runCli("train", "vae", "--data", "fmnist:x", "--out", "x");
        assertEquals(2, family.code());
        assertTrue(family.err().contains("expected one of glow, dcgan but was 'vae'"), family.err());

        Result notANumber = runCli("train", "dcgan", "--data", "fmnist:x", "--out", "x", "--batch", "big");
        assertEquals(2, notANumber.code());
        assertTrue(notANumber.err().contains("Invalid value for option '--batch': 'big' is not an int"), notANumber.err());

        Result notPositive = runCli("train", "glow", "--data", "fmnist:x", "--out", "x", "--minutes", "0");
        assertEquals(2, notPositive.code());
        assertTrue(notPositive.err().contains("flowrecon train: --minutes must be positive, got 0.0"), notPositive.err());
        for (Result r : List.of(missing, family, notANumber, notPositive)) {
            assertTrue(!r.err().contains("\tat "), "no stack trace: " + r.err());
        }
    }

    @Test
    void everyCommandAnswersHelp() {
        Result top = runCli("--help");
        assertEquals(0, top.code(), top.err());
        assertTrue(top.out().contains("train") && top.out().contains("verify") && top.out().contains("sample"), top.out());
        Map<String, String> anOption = Map.of("train", "--checkpoint-every-minutes", "verify", "--tolerance",
                "sample", "--temperature");
        anOption.forEach((command, option) -> {
            Result help = runCli(command, "--help");
            assertEquals(0, help.code(), help.err());
            assertTrue(help.out().contains(option), command + " --help: " + help.out());
        });
        assertTrue(runCli("train", "--help").out().contains("glow, dcgan"), "the families are listed");
    }

    record Result(int code, String out, String err) {
    }

    private static Result runCli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = TrainCli.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static String run(List<String> common, String... extra) {
        List<String> args = new ArrayList<>(common);
        args.addAll(List.of(extra));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = TrainCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, text + err.toString(StandardCharsets.UTF_8));
        return text;
    }
}
