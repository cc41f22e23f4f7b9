package io.flowrecon.worker.cli.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowrecon.shared.image.Image;
import io.flowrecon.shared.image.Png;
import io.flowrecon.worker.engine.BoundObjective;
import io.flowrecon.worker.engine.ObjectiveEngine;
import io.flowrecon.worker.engine.OperatorGraph;
import io.flowrecon.worker.engine.Prior;
import io.flowrecon.worker.engine.ToyPriors;
import io.flowrecon.shared.operator.IdentityOperator;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandsTest {

    private static final Map<String, String> ONE_THREAD = Map.of("FLOWRECON_INTRA_OP_THREADS", "1");

    @TempDir
    Path dir;

    @Test
    void gradcheckPassesOnAGoodBundleAndExitsZero() throws Exception {
        Path bundle = dir.resolve("toy");
        ToyPriors.writeBundle(ToyPriors.convGenerator(3), "glow", bundle);
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        int status = new GradcheckCommand(new PrintStream(text, true, StandardCharsets.UTF_8)).run(List.of(bundle.toString()), ONE_THREAD);
        String output = text.toString(StandardCharsets.UTF_8);
        assertEquals(0, status, output);
        assertTrue(output.contains("gradcheck: PASS"), output);
        assertTrue(output.contains("dot-product"), output);
    }

    @Test
    void gradcheckFailsWhenTheToleranceCannotBeMet() throws Exception {
        Path bundle = dir.resolve("toy");
        ToyPriors.writeBundle(ToyPriors.convGenerator(3), "glow", bundle);
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        // float32 central differences cannot reach 1e-12: the command must say FAIL and exit 1.
        int status = new GradcheckCommand(new PrintStream(text, true, StandardCharsets.UTF_8))
                .run(List.of(bundle.toString(), "--tolerance", "1e-12"), ONE_THREAD);
        assertEquals(1, status);
        assertTrue(text.toString(StandardCharsets.UTF_8).contains("gradcheck: FAIL"));
    }

    @Test
    void solveWritesTheEstimateAndPrintsItsPsnr() throws Exception {
        Path bundle = dir.resolve("toy");
        Prior prior = ToyPriors.convGenerator(3);
        ToyPriors.writeBundle(prior, "glow", bundle);
        Path truthPng = dir.resolve("truth.png");
        Files.write(truthPng, Png.encode(new Image(prior.shape(), imageInRange(prior))));
        Path outPng = dir.resolve("out.png");
        ByteArrayOutputStream text = new ByteArrayOutputStream();

        int status = new SolveCommand(new PrintStream(text, true, StandardCharsets.UTF_8)).run(List.of(
                "--model", bundle.toString(), "--problem", "cs", "--m", "60", "--noise-norm", "0", "--image", truthPng.toString(),
                "--out", outPng.toString()), ONE_THREAD);

        String output = text.toString(StandardCharsets.UTF_8);
        assertEquals(0, status, output);
        assertEquals(prior.shape(), Png.decode(Files.readAllBytes(outPng)).shape());
        double psnr = Double.parseDouble(output.replaceAll("(?s).*psnr_db=([0-9.]+).*", "$1"));
        // The truth is G(z*) up to 8-bit rounding, seen through 60 noiseless measurements: recovery is near exact.
        assertTrue(psnr > 35, output);
    }

    @Test
    void benchPrintsOneJsonLineWithTheAgreedKeys() throws Exception {
        Path bundle = dir.resolve("toy");
        ToyPriors.writeBundle(ToyPriors.convGenerator(3), "glow", bundle);
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        int status = new BenchCommand(new PrintStream(text, true, StandardCharsets.UTF_8)).run(List.of(
                "--model", bundle.toString(), "--problem", "cs", "--m", "30", "--batch", "2", "--threads", "1",
                "--repeats", "3", "--steps", "1"), Map.of());
        assertEquals(0, status);
        String[] lines = text.toString(StandardCharsets.UTF_8).strip().split("\n");
        assertEquals(1, lines.length);
        JsonNode json = new ObjectMapper().readTree(lines[0]);
        for (String key : List.of("forward_ms", "objective_ms", "ratio", "gflops", "lbfgs_step_ms")) {
            assertTrue(json.get(key).isNumber() && json.get(key).asDouble() > 0, key + " in " + lines[0]);
        }
    }

    @Test
    void unknownOptionsAreAUsageError() throws Exception {
        assertEquals(2, new BenchCommand().run(List.of("--modle", "x"), Map.of()));
    }

    private static float[] imageInRange(Prior prior) {
        try (ObjectiveEngine engine = EngineSetup.engine(ONE_THREAD, 1);
             var lease = engine.session(prior, OperatorGraph.of(new IdentityOperator(prior.shape().size()), prior.shape()), 1, 0);
             BoundObjective objective = lease.value().bind(new float[][] {new float[prior.shape().size()]})) {
            return objective.images(new float[] {0.3f, -0.5f, 0.8f, 0.1f, -0.2f, 0.4f}).image(0);
        }
    }
}
