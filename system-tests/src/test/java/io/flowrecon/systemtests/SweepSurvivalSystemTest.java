package io.flowrecon.systemtests;

import io.flowrecon.devstack.Infrastructure;
import io.flowrecon.devstack.junit.InfrastructureExtension;
import io.flowrecon.devstack.stack.ChildProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An experiment survives the failure of the parts it runs on: a worker killed in the middle of the sweep, and the
 * whole stack (API, worker, Kafka, PostgreSQL) stopped and started again on the same data. Either way every job
 * ends exactly once: SUCCEEDED, one result, written by its last attempt.
 */
@ExtendWith(InfrastructureExtension.class)
class SweepSurvivalSystemTest {

    /** 3 images x 3 ratios x 4 operator seeds: 36 lasso-dct solves of 16 x 16 images, well under a second each. */
    private static final int IMAGES = 3;
    private static final int SIZE = 16;
    private static final double[] RATIOS = {0.1, 0.25, 0.5};
    private static final int[] SEEDS = {1, 2, 3, 4};
    /** Jobs done before the failure strikes: the sweep has started, and most of it is still ahead. */
    private static final int STRIKE_AFTER = 3;
    /**
     * Generous: after a kill the dead worker's records come back when their share-group locks expire (30 s) or
     * the reaper requeues them (60 s), and restarting the API and the servers takes minutes on a loaded machine.
     */
    private static final Duration SWEEP_DEADLINE = Duration.ofMinutes(10);

    @Test
    void aWorkerKilledMidSweepIsReplacedByAFreshOneAndEveryJobEndsOnce(Infrastructure infra) throws Exception {
        try (RunningSystem system = RunningSystem.start(infra, "sweep_worker_kill", Path.of("target", "sweep-kill"))) {
            ChildProcess first = system.startWorker("sweep-worker-1");
            Sweep sweep = Sweep.start(system.api(), IMAGES, SIZE, RATIOS, SEEDS);
            sweep.awaitAtLeastDone(system.api(), STRIKE_AFTER, SWEEP_DEADLINE);

            first.kill();
            assertFalse(first.isAlive());
            assertMidSweep(sweep, system);
            system.startWorker("sweep-worker-2");

            sweep.awaitDone(system, SWEEP_DEADLINE);
            int retried = sweep.assertEveryJobEndedOnce(system);
            assertTrue(resultsBy(system, "sweep-worker-2") > 0, "the fresh worker finished the sweep");
            System.out.printf("worker kill mid-sweep: %d jobs, each ended once; %d needed a second attempt%n",
                    sweep.jobs(), retried);
        }
    }

    @Test
    void aWholeStackRestartMidSweepLosesNothingAndDoublesNothing(@TempDir Path data) throws Exception {
        try (RestartableInfrastructure infra = RestartableInfrastructure.start(data);
             RunningSystem system = RunningSystem.start(infra, "sweep_restart", Path.of("target", "sweep-restart"))) {
            system.startWorker("restart-worker-1");
            Sweep sweep = Sweep.start(system.api(), IMAGES, SIZE, RATIOS, SEEDS);
            sweep.awaitAtLeastDone(system.api(), STRIKE_AFTER, SWEEP_DEADLINE);

            // Everything goes down at once, as on a power cut: processes killed, then the servers.
            system.killWorkers();
            assertMidSweep(sweep, system);
            system.killApi();
            infra.stopKafka();
            infra.stopPostgres();

            infra.startPostgres();
            infra.startKafka();
            system.restartApi();
            // The same worker id, as a restarted host or pod has: its earlier incarnation's jobs are not its own.
            system.startWorker("restart-worker-1");

            sweep.awaitDone(system, SWEEP_DEADLINE);
            int retried = sweep.assertEveryJobEndedOnce(system);
            System.out.printf("whole-stack restart mid-sweep: %d jobs, each ended once; %d needed a second attempt%n",
                    sweep.jobs(), retried);
        }
    }

    private static int resultsBy(RunningSystem system, String workerId) throws SQLException {
        try (Connection c = system.database();
             PreparedStatement s = c.prepareStatement("select count(*) from results where worker_id = ?")) {
            s.setString(1, workerId);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getInt(1);
            }
        }
    }

    /** With its workers dead, the sweep is not finished: the failure really struck in the middle. */
    private static void assertMidSweep(Sweep sweep, RunningSystem system) {
        int done = sweep.progress(system.api()).path("done").asInt();
        assertTrue(done < sweep.jobs(), done + " of " + sweep.jobs() + " jobs were already done at the failure");
        System.out.printf("failure struck with %d of %d jobs done%n", done, sweep.jobs());
    }
}
