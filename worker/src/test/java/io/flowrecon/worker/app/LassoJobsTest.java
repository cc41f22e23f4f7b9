package io.flowrecon.worker.app;

import io.flowrecon.devstack.Infrastructure;
import io.flowrecon.devstack.junit.InfrastructureExtension;
import io.flowrecon.shared.job.JobSpec;
import io.flowrecon.shared.job.Problem;
import io.flowrecon.shared.job.SolverSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static io.flowrecon.worker.app.JobFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Lasso-DCT jobs end to end through the built-in solver registry, one worker and two. */
@ExtendWith(InfrastructureExtension.class)
@Timeout(180)
class LassoJobsTest {

    private static Infrastructure infra;
    private JobFixture fixture;
    private final List<Worker> workers = new ArrayList<>();

    @BeforeAll
    static void setUp(Infrastructure infrastructure) {
        infra = infrastructure;
    }

    @BeforeEach
    void createFixture() {
        fixture = new JobFixture(infra, "lasso");
    }

    @AfterEach
    void tearDown() {
        workers.forEach(Worker::close);
        fixture.close();
    }

    /**
     * Compressive sensing of a 32x32 image from m = 512 Gaussian measurements, Lasso-DCT with a
     * small lambda so that FISTA keeps moving: a job that runs for seconds, not milliseconds.
     */
    static JobSpec slowLassoJob() {
        SolverSettings lasso = SolverSettings.defaultsFor(JobFixture.LASSO);
        SolverSettings settings = new SolverSettings(lasso.optimizer(), 3_000, lasso.lr(), lasso.gamma(), 1e-4,
                lasso.restarts(), lasso.init());
        Problem problem = new Problem.CompressiveSensing(512, Problem.SensingOperator.GAUSSIAN, 7,
                new Problem.Noise.GaussianNorm(0.1, 8));
        return new JobSpec(JobFixture.LASSO, problem, settings, null);
    }

    private Worker startWorker(String id) {
        Worker worker = new Worker(fixture.config(id)).start();
        workers.add(worker);
        return worker;
    }

    @Test
    void lassoDenoisingJobGoesFromQueuedToSucceeded() {
        startWorker("w-lasso");
        UUID job = fixture.insertJob(JobFixture.denoising(200, 5), JobFixture.testImage(16));
        assertEquals("QUEUED", fixture.status(job));
        fixture.publish(job);

        await("job SUCCEEDED", Duration.ofSeconds(60), () -> "SUCCEEDED".equals(fixture.status(job)));

        List<Object> result = fixture.rows(
                "select psnr, iterations, stop_reason, model_sha256, latent_norm from results where job_id = ?", job).get(0);
        // Noise std 0.05 puts the noisy image near 26 dB; any sane estimate is above 20 dB.
        assertTrue(((Number) result.get(0)).doubleValue() > 20, "psnr " + result.get(0));
        assertTrue(((Number) result.get(1)).intValue() >= 1);
        assertNotNull(result.get(2));
        assertEquals("sha-of-lasso", result.get(3));
        assertNotNull(result.get(4), "latent norm ||w|| of the DCT code");
        assertTrue(fixture.progressCount(job) >= 1);
        assertNotNull(fixture.queryString("select finished_at from jobs where id = ?", job));
    }

    @Test
    void twoWorkersShareThirtyJobsAndFinishEachExactlyOnce() {
        Worker a = startWorker("w-a");
        Worker b = startWorker("w-b");
        await("both workers ready", Duration.ofSeconds(60), () -> a.ready() && b.ready());
        List<UUID> jobs = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            jobs.add(fixture.insertJob(JobFixture.denoising(500, 100 + i), JobFixture.testImage(16)));
        }
        jobs.forEach(fixture::publish);

        await("30 jobs SUCCEEDED", Duration.ofSeconds(150), () -> fixture.queryLong(
                "select count(*) from jobs where status = 'SUCCEEDED'") == 30);

        assertEquals(30L, fixture.queryLong("select count(*) from results"));
        assertEquals(30L, fixture.queryLong("select count(distinct job_id) from results"));
        assertEquals(30L, fixture.queryLong("select count(*) from jobs where attempts = 1"),
                "no job was processed twice");
        // Which worker takes which job is not asserted: a share group assigns a newly joined consumer within
        // seconds, and one worker can drain 30 short jobs before that, so a spread check would race the broker.
        assertEquals(30.0, a.metrics().succeededCount() + b.metrics().succeededCount());
    }
}
