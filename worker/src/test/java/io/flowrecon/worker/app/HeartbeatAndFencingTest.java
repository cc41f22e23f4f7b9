package io.flowrecon.worker.app;

import com.zaxxer.hikari.HikariDataSource;
import io.flowrecon.devstack.Infrastructure;
import io.flowrecon.devstack.junit.InfrastructureExtension;
import io.flowrecon.shared.job.JobSpec;
import io.flowrecon.worker.solve.SolverRegistry;
import io.flowrecon.worker.store.ClaimResult;
import io.flowrecon.worker.store.Database;
import io.flowrecon.worker.store.Heartbeat;
import io.flowrecon.worker.store.JobStore;
import io.flowrecon.worker.store.ResultRow;
import io.flowrecon.worker.store.ResultStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The worker's side of recovering from dead workers: its heartbeat row, and the fence that keeps a superseded
 * attempt (its job was returned to the queue and claimed again) from writing a second result.
 */
@ExtendWith(InfrastructureExtension.class)
class HeartbeatAndFencingTest {

    private static final String MODEL = "landweber";
    private static final String KIND = "landweber-test";
    private static final Duration WAIT = Duration.ofSeconds(60);

    private JobFixture fixture;
    private HikariDataSource pool;

    @BeforeEach
    void createFixture(Infrastructure infra) {
        fixture = new JobFixture(infra, "fencing");
        fixture.registerModel(MODEL, KIND);
        pool = Database.pool(fixture.dbUrl(), infra.dbUser(), infra.dbPassword(), "fencing-test");
    }

    @AfterEach
    void tearDown() {
        pool.close();
        fixture.close();
    }

    @Test
    void aStartedWorkerHeartbeatsAndACleanStopRemovesItsRow() {
        Worker worker = new Worker(fixture.config("w-beating"), new SolverRegistry()).start();
        try {
            List<List<Object>> rows = fixture.rows(
                    "select host, version, started_at <= last_seen from worker_heartbeats where worker_id = 'w-beating'");
            assertEquals(1, rows.size(), "registered before the worker takes work");
            assertNotNull(rows.get(0).get(0));
            assertEquals("dev", rows.get(0).get(1), "run from classes, the version is 'dev'");
            assertEquals(Boolean.TRUE, rows.get(0).get(2));
        } finally {
            worker.close();
        }
        assertEquals(0L, fixture.queryLong("select count(*) from worker_heartbeats where worker_id = 'w-beating'"));
    }

    @Test
    void beatsMoveLastSeenAndARestartIsANewIncarnation() throws Exception {
        try (Heartbeat first = new Heartbeat(pool, "w-incarnations", "v1", Duration.ofMillis(100)).start()) {
            String started = fixture.queryString("select started_at from worker_heartbeats where worker_id = 'w-incarnations'");
            String seen = fixture.queryString("select last_seen from worker_heartbeats where worker_id = 'w-incarnations'");
            JobFixture.await("last_seen moves", WAIT, () -> !seen.equals(
                    fixture.queryString("select last_seen from worker_heartbeats where worker_id = 'w-incarnations'")));
            assertEquals(started, fixture.queryString(
                    "select started_at from worker_heartbeats where worker_id = 'w-incarnations'"), "beats keep started_at");
            // A crashed process never deletes its row; the next one with the same id registers over it.
            Thread.sleep(20);
            try (Heartbeat second = new Heartbeat(pool, "w-incarnations", "v2", Duration.ofSeconds(60)).start()) {
                assertTrue(fixture.queryLong("""
                        select count(*) from worker_heartbeats
                         where worker_id = 'w-incarnations' and started_at > ?::timestamptz and version = 'v2'""",
                        started) == 1, "the new incarnation's started_at is later");
            }
        }
    }

    @Test
    void aSupersededAttemptCannotCommitEvenUnderTheSameWorkerId() throws Exception {
        JobSpec lasso = JobFixture.denoising(5, 11);
        UUID job = fixture.insertJob(new JobSpec(MODEL, lasso.problem(), lasso.solver(), null), JobFixture.testImage(16));
        JobStore jobs = new JobStore(pool);
        ResultStore results = new ResultStore(pool);

        ClaimResult first = jobs.claim(job, "w-same");
        // The reaper returned the job to the queue; the same worker id (a restarted process, or a twin) took it again.
        fixture.execute("update jobs set status = 'QUEUED' where id = ?", job);
        ClaimResult second = jobs.claim(job, "w-same");
        int firstAttempt = assertInstanceOf(ClaimResult.Claimed.class, first).attempts();
        int secondAttempt = assertInstanceOf(ClaimResult.Claimed.class, second).attempts();
        assertEquals(firstAttempt + 1, secondAttempt);

        assertFalse(jobs.stillOwned(job, "w-same", firstAttempt));
        assertFalse(results.commit(row(job, firstAttempt)), "the first attempt's result is dropped");
        assertEquals(0, fixture.resultCount(job));
        assertEquals("RUNNING", fixture.status(job));

        assertTrue(jobs.stillOwned(job, "w-same", secondAttempt));
        assertTrue(results.commit(row(job, secondAttempt)));
        assertEquals(1, fixture.resultCount(job));
        assertEquals("SUCCEEDED", fixture.status(job));
    }

    @Test
    void aSlowWorkerWhoseJobWasRequeuedDropsItsResultAndSolvesTheRedeliveryOnce() {
        LandweberTestSolver slow = new LandweberTestSolver(20);
        JobSpec lasso = JobFixture.denoising(100, 11);
        UUID job = fixture.insertJob(new JobSpec(MODEL, lasso.problem(), lasso.solver(), null), JobFixture.testImage(16));
        try (Worker worker = new Worker(fixture.config("w-slow"), new SolverRegistry().register(KIND, model -> slow)).start()) {
            fixture.publish(job);
            JobFixture.await("job RUNNING", WAIT, () -> fixture.progressCount(job) > 0);
            // What the reaper does when the heartbeat looked dead: back to QUEUED, announced again.
            fixture.execute("update jobs set status = 'QUEUED' where id = ? and status = 'RUNNING'", job);
            fixture.publish(job);

            JobFixture.await("job SUCCEEDED", WAIT, () -> "SUCCEEDED".equals(fixture.status(job)));
            assertEquals(2, fixture.attempts(job), "the requeued job was claimed once more");
            assertEquals(2, slow.solves());
            assertEquals(1, fixture.resultCount(job), "one result: the first attempt's was dropped");
            assertEquals(1.0, worker.metrics().skippedCount(), "the first attempt counts as skipped");
        }
    }

    private static ResultRow row(UUID job, int attempt) {
        return new ResultRow(job, attempt, new byte[]{1}, null, null, null, 0.5, null, 1, 1, 10, "w-same", "cpu",
                "sha-of-landweber", "max-iterations", "{\"attempt\": " + attempt + "}");
    }
}
