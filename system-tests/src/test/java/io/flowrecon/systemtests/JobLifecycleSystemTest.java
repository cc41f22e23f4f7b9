package io.flowrecon.systemtests;

import com.fasterxml.jackson.databind.JsonNode;
import io.flowrecon.devstack.Infrastructure;
import io.flowrecon.devstack.junit.InfrastructureExtension;
import io.flowrecon.devstack.stack.ApiClient;
import io.flowrecon.devstack.stack.Demo;
import io.flowrecon.shared.image.Image;
import io.flowrecon.shared.image.Png;
import io.flowrecon.shared.job.ImageShape;
import io.flowrecon.shared.metrics.Psnr;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Black-box tests of a job's whole path (docs/ARCHITECTURE.md, "A job's path"): HTTP in, outbox, Kafka share group,
 * worker, PostgreSQL, HTTP out. The API and one worker run as separate processes.
 */
@ExtendWith(InfrastructureExtension.class)
class JobLifecycleSystemTest {

    /** A small CS job on two cores takes seconds; queueing behind other tests' jobs and restarts take longer. */
    private static final Duration JOB_DEADLINE = Duration.ofMinutes(4);
    /**
     * The API's PSNR comes from the float reconstruction, ours from its 8-bit PNG: rounding to 1/255 adds a
     * uniform error of variance (1/255)^2 / 12 ~ 1.3e-6 to the MSE; at the ~20-35 dB this job reaches (MSE
     * 3e-4..1e-2) that shifts PSNR by at most 0.02 dB, so 0.05 dB leaves room for rounding and nothing else.
     */
    private static final double PSNR_TOLERANCE_DB = 0.05;

    private static RunningSystem system;

    @BeforeAll
    static void startSystem(Infrastructure infra) throws InterruptedException {
        system = RunningSystem.start(infra, "system_tests", Path.of("target", "system-tests"));
        system.startWorker("system-worker-1");
    }

    @AfterAll
    static void stopSystem() {
        if (system != null) {
            system.close();
        }
    }

    @Test
    void compressiveSensingJobSucceedsAndReportsThePsnrOfItsReconstruction() throws Exception {
        Image truth = texturedRgb(32, 32, 5);
        byte[] truthPng = Png.encode(truth);
        ApiClient api = system.api();

        JsonNode ref = api.submit(csJob(truthPng, 1200, 7));
        String id = ref.path("id").asText();
        assertEquals("QUEUED", ref.path("status").asText());

        JsonNode job = system.awaitFinal(id, JOB_DEADLINE);
        assertEquals("SUCCEEDED", job.path("status").asText(), "job " + job);
        double reportedPsnr = job.path("result").path("psnr").asDouble(Double.NaN);

        Image reconstruction = Png.decode(api.image(id, "reconstruction"));
        assertEquals(truth.shape(), reconstruction.shape());
        // Against the truth as the API stored it (8-bit), which is what the worker compared with.
        double recomputedPsnr = Psnr.compute(Png.decode(truthPng).values(), reconstruction.values());
        assertEquals(reportedPsnr, recomputedPsnr, PSNR_TOLERANCE_DB,
                "reported PSNR vs PSNR of GET .../image?kind=reconstruction");
        assertTrue(reportedPsnr > 15 && reportedPsnr < 40, "a textured image from 1200 of 3072 measurements: recognisable, not exact; "
                + "PSNR was " + reportedPsnr);

        System.out.printf(java.util.Locale.ROOT, "CS job %s: reported PSNR %.4f dB, recomputed from the PNG %.4f dB%n",
                id, reportedPsnr, recomputedPsnr);

        JsonNode progress = api.progress(id).path("items");
        assertTrue(progress.isArray() && !progress.isEmpty(), "progress trace is empty: " + progress);

        assertTrue(historyIds(api, "model=lasso-dct&limit=100").contains(id), "job missing from history");
        assertTrue(historyIds(api, "status=SUCCEEDED&limit=100").contains(id), "job missing from SUCCEEDED history");
    }

    @Test
    void jobSubmittedWhileKafkaIsDownIsAcceptedAndCompletesAfterKafkaReturns(Infrastructure infra) throws Exception {
        ApiClient api = system.api();
        String id;
        infra.stopKafka();
        try {
            JsonNode ref = api.submit(csJob(Png.encode(texturedRgb(32, 32, 5)), 600, 11));
            id = ref.path("id").asText();
            assertEquals("QUEUED", api.job(id).path("status").asText());
        } finally {
            infra.startKafka();
        }
        JsonNode job = system.awaitFinal(id, JOB_DEADLINE);
        assertEquals("SUCCEEDED", job.path("status").asText(), "job " + job);
    }

    @Test
    void queuedJobCanBeCancelledAndStaysCancelled(Infrastructure infra) throws Exception {
        ApiClient api = system.api();
        String cancelledId;
        // With Kafka away the relay cannot publish, so the job is certainly still queued when we cancel it.
        infra.stopKafka();
        try {
            cancelledId = api.submit(csJob(Png.encode(texturedRgb(32, 32, 5)), 300, 13)).path("id").asText();
            ApiClient.Answer cancel = api.cancel(cancelledId);
            assertTrue(cancel.status() == 200 || cancel.status() == 202, "DELETE answered " + cancel.status()
                    + ": " + cancel.text());
            assertEquals("CANCELLED", api.job(cancelledId).path("status").asText());
        } finally {
            infra.startKafka();
        }
        // A job submitted afterwards finishing shows the worker is past the cancelled one's turn.
        String laterId = api.submit(csJob(Png.encode(texturedRgb(32, 32, 5)), 300, 17)).path("id").asText();
        assertEquals("SUCCEEDED", system.awaitFinal(laterId, JOB_DEADLINE).path("status").asText());

        JsonNode cancelled = api.job(cancelledId);
        assertEquals("CANCELLED", cancelled.path("status").asText());
        assertTrue(cancelled.path("result").isMissingNode() || cancelled.path("result").isNull(),
                "a cancelled job has no result: " + cancelled.path("result"));
        assertFalse(historyIds(api, "status=SUCCEEDED&limit=100").contains(cancelledId));
    }

    @Test
    void onlyTheOwnersKeyReachesAJob() {
        String id = system.api().submit(csJob(Png.encode(texturedRgb(32, 32, 5)), 300, 19)).path("id").asText();
        ApiClient bob = system.apiAs("bob");
        assertEquals(404, bob.get("/api/v1/jobs/" + id).status());
        assertEquals(404, bob.get("/api/v1/jobs/" + id + "/image?kind=truth").status());
        assertEquals(404, bob.cancel(id).status());
        assertFalse(historyIds(bob, "limit=100").contains(id), "bob's history shows the job of " + RunningSystem.OWNER);
        ApiClient.Answer anonymous = system.anonymousApi().get("/api/v1/jobs/" + id);
        assertEquals(401, anonymous.status());
        assertTrue(anonymous.text().contains("./flowrecon keys create"), anonymous.text());
        assertEquals(RunningSystem.OWNER, system.api().job(id).path("owner").asText());
    }

    /**
     * A colour image of smooth waves plus a seeded texture: compressible in the DCT basis like a natural image,
     * but not so sparse that the reconstruction becomes near-exact (above ~45 dB the 8-bit rounding of the PNG
     * would dominate the comparison of PSNRs).
     */
    static Image texturedRgb(int height, int width, long seed) {
        java.util.Random texture = new java.util.Random(seed);
        float[] values = new float[3 * height * width];
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    double v = 0.5 + 0.3 * Math.cos(Math.PI * (c + 1) * x / width)
                            * Math.cos(Math.PI * (3 - c) * y / (2.0 * height)) + 0.15 * c * y / height
                            + 0.15 * (texture.nextDouble() - 0.5);
                    values[(c * height + y) * width + x] = (float) Math.min(1, Math.max(0, v));
                }
            }
        }
        return new Image(new ImageShape(3, height, width), values);
    }

    private static String csJob(byte[] truthPng, int m, int seed) {
        return Demo.compressiveSensingJob("lasso-dct", m, seed, truthPng);
    }

    private static List<String> historyIds(ApiClient api, String query) {
        List<String> ids = new ArrayList<>();
        api.history(query).path("items").forEach(item -> ids.add(item.path("id").asText()));
        return ids;
    }
}
