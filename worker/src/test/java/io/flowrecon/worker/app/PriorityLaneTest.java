package io.flowrecon.worker.app;

import io.flowrecon.devstack.Infrastructure;
import io.flowrecon.devstack.junit.InfrastructureExtension;
import io.flowrecon.shared.job.JobSpec;
import io.flowrecon.worker.solve.SolverRegistry;
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
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Sweep jobs (the sweep topic) never queue in front of interactive ones: with one worker and
 * hundreds of sweep jobs queued, an interactive job starts as soon as the sweep job running when
 * it arrives has finished. Nothing is timed against the wall clock: the checks count the sweep jobs
 * that finished or started between the interactive job's publication and its start (database
 * timestamps), which holds however slow the machine.
 */
@ExtendWith(InfrastructureExtension.class)
@Timeout(300)
class PriorityLaneTest {

    private static final String MODEL = "landweber";
    private static final String KIND = "landweber-test";
    private static final int SWEEP_JOBS = 200;

    private static Infrastructure infra;
    private JobFixture fixture;
    private Worker worker;

    @BeforeAll
    static void setUp(Infrastructure infrastructure) {
        infra = infrastructure;
    }

    @BeforeEach
    void createFixture() {
        fixture = new JobFixture(infra, "priority");
        fixture.registerModel(MODEL, KIND);
    }

    @AfterEach
    void tearDown() {
        if (worker != null) {
            worker.close();
        }
        fixture.close();
    }

    @Test
    void anInteractiveJobStartsAfterAtMostTheSweepJobThatRuns() {
        // 10 iterations with 50 ms pauses: about half a second per sweep job, 200 of them queued.
        LandweberTestSolver solver = new LandweberTestSolver(50);
        worker = new Worker(fixture.config("w-priority"), new SolverRegistry().register(KIND, model -> solver)).start();
        List<UUID> sweep = new ArrayList<>();
        for (int i = 0; i < SWEEP_JOBS; i++) {
            sweep.add(insertJob(10));
        }
        sweep.forEach(fixture::publishSweep);
        await("three sweep jobs SUCCEEDED", Duration.ofSeconds(120), () -> succeeded() >= 3);

        UUID interactive = insertJob(2);
        fixture.publish(interactive);
        // The database's clock, as the jobs' timestamps: the broker has the record from now on.
        Object published = fixture.rows("select now()").get(0).get(0);
        await("interactive job SUCCEEDED", Duration.ofSeconds(120), () -> "SUCCEEDED".equals(fixture.status(interactive)));

        long finishedBetween = fixture.queryLong("""
                select count(*) from jobs s, jobs i
                 where i.id = ? and s.id <> i.id and s.finished_at > ? and s.finished_at <= i.started_at""",
                interactive, published);
        long startedBetween = fixture.queryLong("""
                select count(*) from jobs s, jobs i
                 where i.id = ? and s.id <> i.id and s.started_at > ? and s.started_at <= i.started_at""",
                interactive, published);
        long queuedWhenItStarted = fixture.queryLong("""
                select count(*) from jobs s, jobs i
                 where i.id = ? and s.id <> i.id and (s.started_at is null or s.started_at > i.started_at)""",
                interactive);
        double waitedSeconds = fixture.queryLong(
                "select (extract(epoch from started_at - ?) * 1000)::bigint from jobs where id = ?",
                published, interactive) / 1000.0;
        double sweepJobSeconds = fixture.queryLong("""
                select (avg(extract(epoch from finished_at - started_at)) * 1000)::bigint from jobs
                 where id <> ? and status = 'SUCCEEDED'""", interactive) / 1000.0;
        System.out.printf("priority: interactive job waited %.2f s (a sweep job takes %.2f s); sweep jobs finished"
                        + " meanwhile %d, started meanwhile %d, still queued %d of %d%n", waitedSeconds, sweepJobSeconds,
                finishedBetween, startedBetween, queuedWhenItStarted, SWEEP_JOBS);

        assertTrue(finishedBetween <= 1, "at most the sweep job that ran finished before the interactive one started, "
                + "not " + finishedBetween);
        assertTrue(startedBetween <= 1, "at most one sweep job (taken as the interactive one was published) started "
                + "before it, not " + startedBetween);
        assertTrue(queuedWhenItStarted >= SWEEP_JOBS / 2, "the sweep was still queued: " + queuedWhenItStarted);
        assertEquals(1, fixture.attempts(interactive), "delivered once");
        assertEquals(1, fixture.resultCount(interactive));
        for (UUID job : sweep) {
            assertTrue(fixture.attempts(job) <= 1, "no sweep job was delivered twice");
        }
    }

    /**
     * A sweep record that the sweep consumer's background fetch acquires while an interactive job
     * outlasts the lock waits, renewed, for its turn: it is delivered once. Every core is kept busy
     * meanwhile, so the renewals compete with everything else in this JVM; the checks are on counts.
     */
    @Test
    void aSweepRecordTakenDuringALongInteractiveJobKeepsItsLockUntilItRuns() throws Exception {
        fixture.setRecordLockMillis(RecordLockTest.LOCK_MILLIS);
        LandweberTestSolver solver = new LandweberTestSolver(100);
        worker = new Worker(fixture.config("w-waiting"), new SolverRegistry().register(KIND, model -> solver)).start();
        // 300 pauses of 100 ms: at least 30 s, two 15 s locks, whatever the load.
        UUID longJob = insertJob(300);
        UUID sweepJob = insertJob(2);
        try (BusyCores busy = BusyCores.everyCore()) {
            fixture.publish(longJob);
            await("long interactive job RUNNING", Duration.ofSeconds(60), () -> fixture.progressCount(longJob) > 0);
            fixture.publishSweep(sweepJob);
            await("both jobs SUCCEEDED", Duration.ofSeconds(180), () -> succeeded() == 2);
            await("every record acknowledged", Duration.ofSeconds(60), () -> fixture.unacknowledgedRecords() == 0);
        }
        assertEquals(1, fixture.attempts(longJob), "the interactive job was delivered once");
        assertEquals(1, fixture.attempts(sweepJob), "the sweep job was delivered once");
        assertEquals(2, solver.solves(), "one solve per job");
        assertEquals(0.0, worker.metrics().skippedCount(), "no delivery found its job already done");
        assertTrue(fixture.queryLong("""
                select count(*) from jobs s, jobs i where s.id = ? and i.id = ? and s.started_at >= i.finished_at""",
                sweepJob, longJob) == 1, "the sweep job ran after the interactive one");
    }

    private long succeeded() {
        return fixture.queryLong("select count(*) from jobs where status = 'SUCCEEDED'");
    }

    private UUID insertJob(int steps) {
        JobSpec lasso = JobFixture.denoising(steps, 3);
        return fixture.insertJob(new JobSpec(MODEL, lasso.problem(), lasso.solver(), null), JobFixture.testImage(16));
    }
}
