package io.flowrecon.systemtests;

import com.fasterxml.jackson.databind.JsonNode;
import io.flowrecon.devstack.Infrastructure;
import io.flowrecon.devstack.junit.InfrastructureExtension;
import io.flowrecon.shared.image.Image;
import io.flowrecon.shared.image.Png;
import io.flowrecon.shared.job.ImageShape;
import io.flowrecon.worker.cli.FlowreconCli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bring your own prior, as a user does it: a Glow exported by torch.onnx.export
 * (api/src/test/resources/imports/export_fixtures.py) imported with {@code flowrecon model import} into the
 * packaged API, validated there, fetched by a worker process that has no models folder, and used for a
 * compressive-sensing job; then deleted with {@code flowrecon model delete}.
 */
@ExtendWith(InfrastructureExtension.class)
class ImportedPriorSystemTest {

    private static final Duration JOB_DEADLINE = Duration.ofMinutes(4);

    private record Cli(int code, String out, String err) {
    }

    private static Cli cli(RunningSystem system, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<String> line = new java.util.ArrayList<>(List.of(args));
        line.addAll(List.of("--api", system.api().base().toString()));
        // The importing owner's key, as a user exports it after ./flowrecon keys create.
        Map<String, String> env = Map.of("FLOWRECON_API_KEY", system.newKey(RunningSystem.OWNER));
        int code = FlowreconCli.run(line, env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Cli(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aPyTorchGlowImportedWithTheCliSolvesACompressiveSensingJobOnAWorkerWithoutModels(
            Infrastructure infra, @TempDir Path files) throws Exception {
        Path generator = files.resolve("G.onnx");
        try (InputStream in = getClass().getResourceAsStream("/imports/tiny-glow.onnx")) {
            Files.write(generator, in.readAllBytes());
        }
        try (RunningSystem system = RunningSystem.start(infra, "imported_priors", Path.of("target", "system-tests-imported"),
                files.resolve("no-models"))) {
            system.startWorker("imported-worker-1");

            Cli imported = cli(system, "model", "import", "--generator", generator.toString(), "--kind", "glow",
                    "--id", "torch-glow", "--value-range", "0,1", "--dataset", "none (random weights)");
            assertEquals(0, imported.code(), imported.out() + imported.err());
            assertTrue(imported.out().contains("model 'torch-glow' is ready (glow, image [1,8,8], latent 64"),
                    imported.out());
            Cli list = cli(system, "model", "list");
            assertTrue(list.out().lines().anyMatch(l -> l.startsWith("torch-glow ") && l.contains("ready")), list.out());

            Image truth = new Image(new ImageShape(1, 8, 8), ramp(64));
            String job = """
                    {"model": "torch-glow",
                     "problem": {"kind": "compressive-sensing", "m": 48, "operator": "gaussian", "seed": 7,
                                 "noise": {"kind": "gaussian-norm", "norm": 0.01, "seed": 8}},
                     "solver": {"steps": 5},
                     "truth": {"png": "%s"}}""".formatted(Base64.getEncoder().encodeToString(Png.encode(truth)));
            String id = system.api().submit(job).path("id").asText();
            JsonNode done = system.awaitFinal(id, JOB_DEADLINE);
            assertEquals("SUCCEEDED", done.path("status").asText(), "job " + done + "\n" + system.workerLogTails());
            assertTrue(Double.isFinite(done.path("result").path("psnr").asDouble(Double.NaN)), done.toString());

            Cli deleted = cli(system, "model", "delete", "torch-glow");
            assertEquals(0, deleted.code(), deleted.out() + deleted.err());
            assertEquals(404, system.api().get("/api/v1/models/torch-glow").status());
        }
    }

    private static float[] ramp(int n) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = 0.1f + 0.8f * i / (n - 1);
        }
        return values;
    }
}
