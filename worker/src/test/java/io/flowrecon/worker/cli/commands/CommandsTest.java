package io.flowrecon.worker.cli.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowrecon.shared.image.Image;
import io.flowrecon.shared.image.Png;
import io.flowrecon.worker.app.WorkerConfig;
import io.flowrecon.worker.cli.CliRun;
import io.flowrecon.worker.engine.BoundObjective;
import io.flowrecon.worker.engine.ObjectiveEngine;
import io.flowrecon.worker.engine.OperatorGraph;
import io.flowrecon.worker.engine.Prior;
import io.flowrecon.worker.engine.ToyPriors;
import io.flowrecon.shared.operator.IdentityOperator;
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
        CliRun run = CliRun.of(ONE_THREAD, "gradcheck", bundle.toString());
        String output = run.out();
        assertEquals(0, run.code(), run.text());
        assertTrue(output.contains("gradcheck: PASS"), output);
        assertTrue(output.contains("dot-product"), output);
    }

    @Test
    void gradcheckFailsWhenTheToleranceCannotBeMet() throws Exception {
        Path bundle = dir.resolve("toy");
        ToyPriors.writeBundle(ToyPriors.convGenerator(3), "glow", bundle);
        // float32 central differences cannot reach 1e-12: the command must say FAIL and exit 1.
        CliRun run = CliRun.of(ONE_THREAD, "gradcheck", bundle.toString(), "--tolerance", "1e-12");
        assertEquals(1, run.code(), run.text());
        assertTrue(run.out().contains("gradcheck: FAIL"), run.text());
    }

    @Test
    void solveWritesTheEstimateAndPrintsItsPsnr() throws Exception {
        Path bundle = dir.resolve("toy");
        Prior prior = ToyPriors.convGenerator(3);
        ToyPriors.writeBundle(prior, "glow", bundle);
        Path truthPng = dir.resolve("truth.png");
        Files.write(truthPng, Png.encode(new Image(prior.shape(), imageInRange(prior))));
        Path outPng = dir.resolve("out.png");

        CliRun run = CliRun.of(ONE_THREAD, "solve", "--model", bundle.toString(), "--problem", "cs", "--m", "60",
                "--noise-norm", "0", "--image", truthPng.toString(), "--out", outPng.toString());

        String output = run.out();
        assertEquals(0, run.code(), run.text());
        assertEquals(prior.shape(), Png.decode(Files.readAllBytes(outPng)).shape());
        double psnr = Double.parseDouble(output.replaceAll("(?s).*psnr_db=([0-9.]+).*", "$1"));
        // The truth is G(z*) up to 8-bit rounding, seen through 60 noiseless measurements: recovery is near exact.
        assertTrue(psnr > 35, output);
    }

    @Test
    void benchPrintsOneJsonLineWithTheAgreedKeys() throws Exception {
        Path bundle = dir.resolve("toy");
        ToyPriors.writeBundle(ToyPriors.convGenerator(3), "glow", bundle);
        CliRun run = CliRun.of(Map.of(), "bench", "--model", bundle.toString(), "--problem", "cs", "--m", "30",
                "--batch", "2", "--threads", "1", "--repeats", "3", "--steps", "1");
        assertEquals(0, run.code(), run.text());
        String[] lines = run.out().strip().split("\n");
        assertEquals(1, lines.length);
        JsonNode json = new ObjectMapper().readTree(lines[0]);
        for (String key : List.of("forward_ms", "objective_ms", "ratio", "gflops", "lbfgs_step_ms")) {
            assertTrue(json.get(key).isNumber() && json.get(key).asDouble() > 0, key + " in " + lines[0]);
        }
    }

    @Test
    void unknownOptionsAndBadValuesAreAUsageErrorNamingTheOption() {
        CliRun unknown = CliRun.of(Map.of(), "bench", "--model", "x", "--modle", "x");
        assertEquals(2, unknown.code());
        assertTrue(unknown.err().contains("flowrecon bench: Unknown option") && unknown.err().contains("'--modle'"), unknown.err());
        CliRun zStd = CliRun.of(Map.of(), "bench", "--model", "x", "--z-std", "-1");
        assertEquals(2, zStd.code());
        assertTrue(zStd.err().contains("flowrecon bench: --z-std must be a finite number >= 0, got -1.0"), zStd.err());
        CliRun mask = CliRun.of(Map.of(), "solve", "--model", "x", "--problem", "inpaint", "--mask", "square",
                "--image", "a.png", "--out", "b.png");
        assertEquals(2, mask.code());
        assertTrue(mask.err().contains("--mask must be center-block:SIZE or random:MISSING_FRACTION, got 'square'"),
                mask.err());
        CliRun noM = CliRun.of(Map.of(), "solve", "--model", "x", "--problem", "cs", "--image", "a.png", "--out", "b.png");
        assertEquals(2, noM.code());
        assertTrue(noM.err().contains("--m (the number of measurements) is required for --problem cs"), noM.err());
    }

    private static float[] imageInRange(Prior prior) {
        try (ObjectiveEngine engine = EngineSetup.engine(WorkerConfig.fromEnvironment(ONE_THREAD), 1);
             var lease = engine.session(prior, OperatorGraph.of(new IdentityOperator(prior.shape().size()), prior.shape()), 1, 0);
             BoundObjective objective = lease.value().bind(new float[][] {new float[prior.shape().size()]})) {
            return objective.images(new float[] {0.3f, -0.5f, 0.8f, 0.1f, -0.2f, 0.4f}).image(0);
        }
    }
}
