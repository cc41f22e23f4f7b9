package io.flowrecon.worker.app;

import io.flowrecon.devstack.Infrastructure;
import io.flowrecon.devstack.junit.InfrastructureExtension;
import io.flowrecon.shared.image.Png;
import io.flowrecon.shared.job.JobSpec;
import io.flowrecon.shared.job.SpecLimits;
import io.flowrecon.worker.solve.SolverRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static io.flowrecon.worker.app.JobFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The worker's job life cycle against a real broker and PostgreSQL, with a test solver whose
 * pace the test controls (the Lasso-DCT solver is exercised in {@link LassoJobsTest}).
 */
@ExtendWith(InfrastructureExtension.class)
@Timeout(180)
class WorkerLifecycleTest {

    private static final String MODEL = "landweber";
    private static final String KIND = "landweber-test";
    private static final Duration WAIT = Duration.ofSeconds(60);

    private static Infrastructure infra;
    private JobFixture fixture;
    private Worker worker;

    @BeforeAll
    static void setUp(Infrastructure infrastructure) {
        infra = infrastructure;
    }

    @BeforeEach
    void createFixture() {
        fixture = new JobFixture(infra, "lifecycle");
        fixture.registerModel(MODEL, KIND);
    }

    @AfterEach
    void tearDown() {
        if (worker != null) {
            worker.close();
        }
        fixture.close();
    }

    private Worker startWorker(String id, LandweberTestSolver solver) {
        return new Worker(fixture.config(id), new SolverRegistry().register(KIND, model -> solver)).start();
    }

    private UUID insertJob(int steps) {
        JobSpec lasso = JobFixture.denoising(steps, 11);
        JobSpec spec = new JobSpec(MODEL, lasso.problem(), lasso.solver(), null);
        return fixture.insertJob(spec, JobFixture.testImage(16));
    }

    @Test
    void queuedJobSucceedsWithResultAndProgressRows() throws Exception {
        LandweberTestSolver solver = new LandweberTestSolver(0);
        worker = startWorker("w-life", solver);
        UUID job = insertJob(30);
        fixture.publish(job);

        await("job SUCCEEDED", WAIT, () -> "SUCCEEDED".equals(fixture.status(job)));

        assertEquals("w-life", fixture.workerOf(job));
        assertEquals(1, fixture.attempts(job));
        List<Object> result = fixture.rows("""
                select psnr, residual_norm, iterations, evaluations, worker_id, execution_provider, model_sha256,
                       stop_reason, provenance->>'operator', provenance->'spec'->'problem'->'noise'->>'seed',
                       length(reconstruction_png), length(measurement_png), ssim
                  from results where job_id = ?""", job).get(0);
        // Least squares on y = x + noise converges to y itself: PSNR is that of the noisy image,
        // about 20 log10(1 / 0.05) = 26 dB for noise std 0.05 before clipping; 20 dB leaves room.
        assertTrue(((Number) result.get(0)).doubleValue() > 20, "psnr " + result.get(0));
        assertTrue(((Number) result.get(1)).doubleValue() < 1e-3, "residual ||Ax - y|| after 30 Landweber steps");
        assertEquals(30, result.get(2));
        assertEquals(30, result.get(3));
        assertEquals("w-life", result.get(4));
        assertEquals("cpu", result.get(5));
        assertEquals("sha-of-" + MODEL, result.get(6));
        assertEquals("max-iterations", result.get(7));
        assertNotNull(result.get(8), "provenance names the operator");
        assertEquals("11", result.get(9), "provenance carries the noise seed");
        assertTrue(((Number) result.get(10)).intValue() > 0);
        assertTrue(((Number) result.get(11)).intValue() > 0, "denoising measurements are an image");
        assertNotNull(result.get(12), "ssim of a 16x16 image");

        assertEquals(30, fixture.progressCount(job));
        assertNotNull(fixture.queryString("select psnr from job_progress where job_id = ? and iteration = 1", job));
        assertNotNull(fixture.queryString("select psnr from job_progress where job_id = ? and iteration = 10", job));
        assertNull(fixture.queryString("select psnr from job_progress where job_id = ? and iteration = 2", job),
                "PSNR is scored every 10 iterations only");
        assertEquals(1.0, worker.metrics().succeededCount());

        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> ready = http.send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + worker.httpPort() + "/q/health/ready")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, ready.statusCode(), ready.body());
        assertTrue(ready.body().startsWith("{\"status\":\"UP\",\"checks\":["), ready.body());
        HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + worker.httpPort() + "/q/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertTrue(metrics.body().contains("flowrecon_jobs_processed_total{outcome=\"succeeded\"} 1.0"), metrics.body());
        assertTrue(metrics.body().contains("jvm_memory_used_bytes"), "JVM binders are registered");
    }

    @Test
    void poisonJobsEndFailedWithTheirReasonAndAreNotRetried() {
        LandweberTestSolver solver = new LandweberTestSolver(0);
        worker = startWorker("w-poison", solver);
        fixture.registerModel("some-glow", "glow");
        UUID badSpec = fixture.insertJob(MODEL, "{\"model\": \"landweber\"}", Png.encode(JobFixture.testImage(16)));
        JobSpec glowSpec = new JobSpec("some-glow", JobFixture.denoising(5, 1).problem(), JobFixture.denoising(5, 1).solver(), null);
        UUID unknownKind = fixture.insertJob(glowSpec, JobFixture.testImage(16));
        UUID unreadable = insertJob(5);
        UUID good = insertJob(5);

        fixture.publish(badSpec);
        fixture.publish(unknownKind);
        fixture.publishRaw(unreadable.toString(), "this is not json");
        fixture.publish(UUID.randomUUID()); // no job row
        fixture.publish(good);

        await("all poison jobs FAILED and the good job SUCCEEDED", WAIT, () ->
                "FAILED".equals(fixture.status(badSpec)) && "FAILED".equals(fixture.status(unknownKind))
                        && "FAILED".equals(fixture.status(unreadable)) && "SUCCEEDED".equals(fixture.status(good)));

        assertTrue(fixture.error(badSpec).startsWith("spec: "), fixture.error(badSpec));
        assertTrue(fixture.error(unknownKind).contains("kind 'glow'"), fixture.error(unknownKind));
        assertTrue(fixture.error(unknownKind).contains(KIND), "names the kinds this worker serves: " + fixture.error(unknownKind));
        assertTrue(fixture.error(unreadable).startsWith("unreadable job message"), fixture.error(unreadable));
        assertEquals(1, solver.solves(), "only the good job reached the solver");
        // REJECTed records are archived: give a redelivery the time to happen, then check none did.
        UUID marker = insertJob(5);
        fixture.publish(marker);
        await("marker job SUCCEEDED", WAIT, () -> "SUCCEEDED".equals(fixture.status(marker)));
        assertEquals(1, fixture.attempts(badSpec));
        assertEquals(1, fixture.attempts(unknownKind));
        assertEquals(0, fixture.attempts(unreadable), "an unreadable message is failed without a claim");
        assertEquals(4.0, worker.metrics().failedCount(), "bad spec, unknown kind, unreadable message, no job row");
    }

    @Test
    void duplicateDeliveryOfAFinishedJobDoesNoWork() {
        LandweberTestSolver solver = new LandweberTestSolver(0);
        worker = startWorker("w-dup", solver);
        UUID job = insertJob(10);
        fixture.publish(job);
        await("job SUCCEEDED", WAIT, () -> "SUCCEEDED".equals(fixture.status(job)));

        fixture.publish(job);
        UUID next = insertJob(10);
        fixture.publish(next);
        await("next job SUCCEEDED", WAIT, () -> "SUCCEEDED".equals(fixture.status(next)));
        await("duplicate delivery seen", WAIT, () -> worker.metrics().skippedCount() >= 1.0);

        assertEquals(2, solver.solves(), "the duplicate did not reach the solver");
        assertEquals(1, fixture.attempts(job));
        assertEquals(1, fixture.resultCount(job));
    }

    @Test
    void cancellingARunningJobStopsIt() {
        LandweberTestSolver solver = new LandweberTestSolver(5);
        worker = startWorker("w-cancel", solver);
        UUID job = insertJob(SpecLimits.MAX_STEPS);
        fixture.publish(job);
        await("job RUNNING with progress", WAIT, () -> fixture.progressCount(job) > 0);

        fixture.execute("update jobs set status = 'CANCELLED', finished_at = now() where id = ?", job);
        UUID next = insertJob(5);
        fixture.publish(next);
        // One job at a time: the next job can only succeed once the cancelled solve has stopped.
        await("next job SUCCEEDED", WAIT, () -> "SUCCEEDED".equals(fixture.status(next)));

        assertEquals("CANCELLED", fixture.status(job));
        assertEquals(0, fixture.resultCount(job));
        assertTrue(fixture.maxProgressIteration(job) < SpecLimits.MAX_STEPS);
        assertEquals(1, fixture.attempts(job), "the cancelled job was not redelivered");
    }

    @Test
    void gracefulShutdownReleasesTheRunningJobToAnotherWorker() {
        LandweberTestSolver slow = new LandweberTestSolver(20);
        Worker first = startWorker("w-first", slow);
        UUID job = insertJob(200);
        fixture.publish(job);
        await("job RUNNING on the first worker", WAIT, () -> fixture.progressCount(job) > 0);

        first.close();
        assertEquals("RUNNING", fixture.status(job), "a shutdown leaves the job for another worker");
        assertEquals(1.0, first.metrics().releasedCount());

        worker = startWorker("w-second", new LandweberTestSolver(0));
        await("job SUCCEEDED on the second worker", WAIT, () -> "SUCCEEDED".equals(fixture.status(job)));
        assertEquals("w-second", fixture.workerOf(job));
        assertEquals(2, fixture.attempts(job));
        assertEquals(1, fixture.resultCount(job));
        assertEquals(200, fixture.progressCount(job));
    }

    @Test
    void aJobRunningUnderADeadWorkerIsTakenOverWithACleanTrace() {
        UUID job = insertJob(20);
        // What a worker that died mid-job leaves behind: RUNNING, one attempt, part of a trace.
        fixture.execute("update jobs set status = 'RUNNING', worker_id = 'dead-worker', attempts = 1 where id = ?", job);
        fixture.execute("insert into job_progress (job_id, iteration, loss, elapsed_millis) values (?, 5000, 1.0, 1)", job);
        worker = startWorker("w-heir", new LandweberTestSolver(0));
        fixture.publish(job);

        await("job SUCCEEDED", WAIT, () -> "SUCCEEDED".equals(fixture.status(job)));

        assertEquals("w-heir", fixture.workerOf(job));
        assertEquals(2, fixture.attempts(job));
        assertEquals(20, fixture.maxProgressIteration(job), "the dead attempt's trace was cleared");
        assertEquals(20, fixture.progressCount(job));
    }

    @Test
    void aJobWhoseAttemptsKeepDyingIsFailedBeforeTheBrokerArchivesIt() {
        UUID job = insertJob(20);
        // Four claims already ended without a result (crashes, lost locks): the next delivery is the
        // broker's last, so the worker fails the job instead of leaving it RUNNING for ever.
        fixture.execute("update jobs set status = 'RUNNING', worker_id = 'dead-worker', attempts = 4 where id = ?", job);
        LandweberTestSolver solver = new LandweberTestSolver(0);
        worker = startWorker("w-last", solver);
        fixture.publish(job);

        await("job FAILED", WAIT, () -> "FAILED".equals(fixture.status(job)));

        assertTrue(fixture.error(job).startsWith("abandoned: 4 attempts"), fixture.error(job));
        assertEquals(0, solver.solves(), "no fifth solve");
        assertEquals(0, fixture.resultCount(job));
    }

    @Test
    void aWorkerWhoseDatabaseIsDownTakesNoWorkAndIsNotReady() throws Exception {
        WorkerConfig good = fixture.config("w-no-db");
        WorkerConfig noDatabase = new WorkerConfig("jdbc:postgresql://localhost:1/nowhere", good.dbUser(),
                good.dbPassword(), good.kafkaBootstrapServers(), "w-no-db", 0, null, good.topic(),
                good.shareGroup(), good.pollTimeout(), good.runtime());
        LandweberTestSolver solver = new LandweberTestSolver(0);
        Worker blind = new Worker(noDatabase, new SolverRegistry().register(KIND, model -> solver)).start();
        try {
            UUID job = insertJob(5);
            fixture.publish(job);
            HttpResponse<String> ready = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://localhost:" + blind.httpPort() + "/q/health/ready")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(503, ready.statusCode(), ready.body());
            assertTrue(ready.body().contains("{\"name\":\"database\",\"status\":\"DOWN\"}"), ready.body());
            // Several poll timeouts (500 ms) in which a worker that polled would have taken the job and released it.
            Thread.sleep(3_000);
            assertEquals(0.0, blind.metrics().releasedCount(), "the job was never taken");
            assertEquals("QUEUED", fixture.status(job));

            worker = startWorker("w-with-db", solver);
            await("job SUCCEEDED", WAIT, () -> "SUCCEEDED".equals(fixture.status(job)));
            assertEquals("w-with-db", fixture.workerOf(job));
        } finally {
            blind.close();
        }
    }
}
