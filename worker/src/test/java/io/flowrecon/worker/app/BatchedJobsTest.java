package io.flowrecon.worker.app;

import com.zaxxer.hikari.HikariDataSource;
import io.flowrecon.adjoint.AdjointBuilder;
import io.flowrecon.devstack.Infrastructure;
import io.flowrecon.devstack.junit.InfrastructureExtension;
import io.flowrecon.shared.job.JobSpec;
import io.flowrecon.shared.job.Problem;
import io.flowrecon.shared.job.SolverSettings;
import io.flowrecon.shared.model.ModelBundle;
import io.flowrecon.shared.model.ModelKinds;
import io.flowrecon.shared.prior.GlowArchitecture;
import io.flowrecon.shared.prior.GlowWeights;
import io.flowrecon.shared.prior.PriorBundles;
import io.flowrecon.shared.prior.PriorCardInfo;
import io.flowrecon.worker.engine.ObjectiveEngine;
import io.flowrecon.worker.job.JobMetrics;
import io.flowrecon.worker.job.JobRunner;
import io.flowrecon.worker.queue.Disposition;
import io.flowrecon.worker.queue.RecordHandler;
import io.flowrecon.worker.runtime.RuntimeConfig;
import io.flowrecon.worker.runtime.SessionFactory;
import io.flowrecon.worker.solve.SolverRegistry;
import io.flowrecon.worker.store.Database;
import io.flowrecon.worker.store.JobStore;
import io.flowrecon.worker.store.ProgressStore;
import io.flowrecon.worker.store.ResultStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;


import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static io.flowrecon.worker.app.JobFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Records handed to the job runner together: compatible Glow jobs are solved as one batch, each with its own
 * result, trace and disposition, and each job's PSNR is the one it gets when it runs alone; a poison record and
 * a job of another model among them are answered as they would be alone.
 */
@ExtendWith(InfrastructureExtension.class)
@Timeout(300)
class BatchedJobsTest {

    private static final String MODEL = "test-glow16-batch";

    @Test
    void compatibleJobsAreSolvedTogetherAndEachGetsItsOwnResultAndItsAlonePsnr(Infrastructure infra, @TempDir Path models)
            throws Exception {
        GlowArchitecture architecture = new GlowArchitecture(1, 16, 2, 2, 16);
        ModelBundle bundle = PriorBundles.writeGlow(models.resolve(MODEL), GlowWeights.random(architecture, 3),
                PriorCardInfo.randomInit(MODEL, 3, Instant.parse("2026-11-29T00:00:00Z")));
        try (JobFixture fixture = new JobFixture(infra, "batched");
             ObjectiveEngine engine = new ObjectiveEngine(SessionFactory.create(RuntimeConfig.cpu(1)), AdjointBuilder.standard());
             HikariDataSource db = Database.pool(fixture.dbUrl(), infra.dbUser(), infra.dbPassword(), "batched-test")) {
            fixture.execute("insert into models (id, kind, card, sha256, bundle_path) values (?, 'glow', ?::jsonb, ?, ?)",
                    MODEL, bundle.card().toJson(), bundle.bundleHash(), bundle.dir().toAbsolutePath().toString());
            JobRunner runner = new JobRunner("w-batch", "cpu", new JobStore(db), new ProgressStore(db), new ResultStore(db),
                    SolverRegistry.standard(engine, model -> bundle.dir()), new JobMetrics(new SimpleMeterRegistry()));

            List<JobSpec> specs = new ArrayList<>();
            SolverSettings glow = SolverSettings.defaultsFor(ModelKinds.GLOW);
            for (int j = 0; j < 4; j++) {
                // each job its own operator seed and noise seed; job 3 a shorter budget
                SolverSettings settings = new SolverSettings(glow.optimizer(), j == 3 ? 2 : 4, glow.lr(), glow.gamma(),
                        glow.lambda(), glow.restarts(), glow.init());
                specs.add(new JobSpec(MODEL, new Problem.CompressiveSensing(96, Problem.SensingOperator.GAUSSIAN, 10 + j,
                        new Problem.Noise.GaussianNorm(0.1, 20 + j)), settings, null));
            }
            List<UUID> batched = new ArrayList<>();
            List<RecordHandler.Delivery> deliveries = new ArrayList<>();
            for (JobSpec spec : specs) {
                UUID job = fixture.insertJob(spec, JobFixture.testImage(16));
                batched.add(job);
                deliveries.add(new RecordHandler.Delivery(job.toString(), fixture.message(job)));
            }
            UUID lasso = fixture.insertJob(JobFixture.denoising(20, 5), JobFixture.testImage(16));
            deliveries.add(1, new RecordHandler.Delivery(lasso.toString(), fixture.message(lasso)));
            deliveries.add(3, new RecordHandler.Delivery("not-a-job", "{"));

            List<Disposition> dispositions = runner.handleAll(deliveries, () -> false);

            assertEquals(List.of(Disposition.ACCEPT, Disposition.ACCEPT, Disposition.ACCEPT, Disposition.REJECT,
                    Disposition.ACCEPT, Disposition.ACCEPT), dispositions, "one disposition per record, in order");
            assertEquals("SUCCEEDED", fixture.status(lasso), () -> "error: " + fixture.error(lasso));
            for (int j = 0; j < specs.size(); j++) {
                UUID job = batched.get(j);
                assertEquals("SUCCEEDED", fixture.status(job), () -> "error: " + fixture.error(job));
                assertEquals(j == 3 ? 2 : 4, fixture.maxProgressIteration(job), "job " + j + " has its own trace");
                UUID alone = fixture.insertJob(specs.get(j), JobFixture.testImage(16));
                assertEquals(Disposition.ACCEPT, runner.handle(alone.toString(), fixture.message(alone), () -> false));
                double psnrBatched = psnr(fixture, job);
                double psnrAlone = psnr(fixture, alone);
                // Per-image operators make a job's arithmetic independent of its company; 0.1 dB is the tolerance
                // the batching promises.
                assertEquals(psnrAlone, psnrBatched, 0.1, "job " + j);
                assertTrue(iterations(fixture, job) == (j == 3 ? 2 : 4), "job " + j + " iterations");
            }
        }
    }

    /**
     * Through the share group: with FLOWRECON_WORKER_BATCH = 4, sweep records queued before the worker starts are
     * taken several per turn and solved together (the batch size is in each result's provenance), each job once.
     */
    @Test
    void aWorkerWithBatchFourTakesSeveralSweepRecordsPerTurnAndEndsEachJobOnce(Infrastructure infra, @TempDir Path models)
            throws Exception {
        GlowArchitecture architecture = new GlowArchitecture(1, 16, 2, 2, 16);
        ModelBundle bundle = PriorBundles.writeGlow(models.resolve(MODEL), GlowWeights.random(architecture, 3),
                PriorCardInfo.randomInit(MODEL, 3, Instant.parse("2026-11-29T00:00:00Z")));
        try (JobFixture fixture = new JobFixture(infra, "sweepbatch")) {
            fixture.execute("insert into models (id, kind, card, sha256, bundle_path) values (?, 'glow', ?::jsonb, ?, ?)",
                    MODEL, bundle.card().toJson(), bundle.bundleHash(), bundle.dir().toAbsolutePath().toString());
            SolverSettings glow = SolverSettings.defaultsFor(ModelKinds.GLOW);
            SolverSettings settings = new SolverSettings(glow.optimizer(), 3, glow.lr(), glow.gamma(), glow.lambda(),
                    glow.restarts(), glow.init());
            List<UUID> jobs = new ArrayList<>();
            for (int j = 0; j < 8; j++) {
                UUID job = fixture.insertJob(new JobSpec(MODEL, new Problem.CompressiveSensing(96,
                        Problem.SensingOperator.GAUSSIAN, 30 + j, new Problem.Noise.GaussianNorm(0.1, 40 + j)), settings, null),
                        JobFixture.testImage(16));
                jobs.add(job);
                fixture.publishSweep(job);
            }
            try (Worker worker = new Worker(fixture.config("w-sweep-batch").withSweepBatch(4)).start()) {
                await("eight sweep jobs ended", Duration.ofSeconds(240), () -> jobs.stream()
                        .allMatch(job -> List.of("SUCCEEDED", "FAILED").contains(fixture.status(job))));
            }
            int largest = 0;
            for (UUID job : jobs) {
                assertEquals("SUCCEEDED", fixture.status(job), () -> "error: " + fixture.error(job));
                List<List<Object>> rows = fixture.rows("select (provenance->>'batchSize')::int from results where job_id = ?", job);
                assertEquals(1, rows.size(), "one result per job");
                int size = ((Number) rows.get(0).get(0)).intValue();
                assertTrue(size >= 1 && size <= 4, "batch size " + size + " within 1..FLOWRECON_WORKER_BATCH");
                largest = Math.max(largest, size);
            }
            // All eight records were queued before the worker subscribed: a fetch acquires up to max.poll.records (4).
            assertTrue(largest > 1, "no turn took more than one record (largest batch " + largest + ")");
        }
    }

    private static double psnr(JobFixture fixture, UUID job) {
        return ((Number) fixture.rows("select psnr from results where job_id = ?", job).get(0).get(0)).doubleValue();
    }

    private static int iterations(JobFixture fixture, UUID job) {
        return ((Number) fixture.rows("select iterations from results where job_id = ?", job).get(0).get(0)).intValue();
    }
}
