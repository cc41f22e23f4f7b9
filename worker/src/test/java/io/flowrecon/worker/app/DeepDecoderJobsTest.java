package io.flowrecon.worker.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowrecon.devstack.Infrastructure;
import io.flowrecon.devstack.junit.InfrastructureExtension;
import io.flowrecon.shared.job.JobSpec;
import io.flowrecon.shared.job.Problem;
import io.flowrecon.shared.job.SolverSettings;
import io.flowrecon.shared.model.ModelKinds;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static io.flowrecon.worker.app.JobFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A Deep Decoder job through the built-in solver registry: no bundle, weights fitted, provenance recorded. */
@ExtendWith(InfrastructureExtension.class)
@Timeout(180)
class DeepDecoderJobsTest {

    private static Infrastructure infra;
    private JobFixture fixture;
    private Worker worker;

    @BeforeAll
    static void setUp(Infrastructure infrastructure) {
        infra = infrastructure;
    }

    @AfterEach
    void tearDown() {
        if (worker != null) {
            worker.close();
        }
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void aDenoisingJobOnTheDeepDecoderSucceedsWithItsSeedsInTheProvenance() throws Exception {
        fixture = new JobFixture(infra, "deepdecoder");
        fixture.registerModel(ModelKinds.DEEP_DECODER, ModelKinds.DEEP_DECODER);
        worker = new Worker(fixture.config("w-dd")).start();
        SolverSettings defaults = SolverSettings.defaultsFor(ModelKinds.DEEP_DECODER);
        SolverSettings settings = new SolverSettings(defaults.optimizer(), 600, defaults.lr(), defaults.gamma(),
                defaults.lambda(), defaults.restarts(), new SolverSettings.Init.RandomNormal(1.0, 42));
        JobSpec spec = new JobSpec(ModelKinds.DEEP_DECODER,
                new Problem.Denoising(new Problem.Noise.Gaussian(0.1, 5)), settings, null);
        UUID job = fixture.insertJob(spec, JobFixture.testImage(32));
        fixture.publish(job);

        await("deep decoder job finished", Duration.ofSeconds(150),
                () -> List.of("SUCCEEDED", "FAILED").contains(fixture.status(job)));
        assertEquals("SUCCEEDED", fixture.status(job), () -> "error: " + fixture.error(job));

        List<Object> result = fixture.rows("select psnr, iterations, model_sha256, provenance::text from results "
                + "where job_id = ?", job).get(0);
        // Noise std 0.1 leaves the noisy image at ~20 dB; 600 steps of the decoder (k = 9, 405 weights for
        // 1024 pixels) on the smooth 32 x 32 test image land above it; 20 dB asks that it did not fit the noise.
        assertTrue(((Number) result.get(0)).doubleValue() > 20, "psnr " + result.get(0));
        assertEquals(600, ((Number) result.get(1)).intValue());
        assertEquals("sha-of-" + ModelKinds.DEEP_DECODER, result.get(2));
        JsonNode provenance = new ObjectMapper().readTree((String) result.get(3));
        assertEquals(42, provenance.at("/spec/solver/init/seed").asInt(), provenance.toString());
        assertEquals(ModelKinds.DEEP_DECODER, provenance.at("/model/kind").asText(), provenance.toString());
        assertTrue(fixture.progressCount(job) >= 1);
    }
}
