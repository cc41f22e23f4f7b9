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
import java.util.UUID;

import static io.flowrecon.worker.app.JobFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A worker takes jobs again soon after the broker restarts. The seconds from the broker being
 * back to the worker claiming a job published then are printed, not asserted: on a loaded
 * machine they vary, and what must hold is that the job is received and solved once.
 */
@ExtendWith(InfrastructureExtension.class)
@Timeout(300)
class KafkaRestartTest {

    private static final String MODEL = "landweber";
    private static final String KIND = "landweber-test";

    private static Infrastructure infra;
    private JobFixture fixture;
    private Worker worker;

    @BeforeAll
    static void setUp(Infrastructure infrastructure) {
        infra = infrastructure;
    }

    @BeforeEach
    void createFixture() {
        fixture = new JobFixture(infra, "restart");
        fixture.registerModel(MODEL, KIND);
    }

    @AfterEach
    void tearDown() {
        infra.startKafka();
        if (worker != null) {
            worker.close();
        }
        fixture.close();
    }

    @Test
    void aWorkerReceivesJobsAgainAfterTheBrokerRestarts() throws Exception {
        LandweberTestSolver solver = new LandweberTestSolver(0);
        worker = new Worker(fixture.config("w-restart"), new SolverRegistry().register(KIND, model -> solver)).start();
        UUID before = insertJob();
        fixture.publish(before);
        await("job before the restart SUCCEEDED", Duration.ofSeconds(60), () -> "SUCCEEDED".equals(fixture.status(before)));

        infra.stopKafka();
        // Long enough for the worker's heartbeats and fetches to fail and its connection back-off to grow.
        Thread.sleep(Long.getLong("outageMillis", 5_000));
        infra.startKafka();
        long backNanos = System.nanoTime();
        UUID after = insertJob();
        fixture.publish(after);
        double publishedSeconds = secondsSince(backNanos);
        await("job after the restart claimed", Duration.ofSeconds(120), () -> fixture.attempts(after) > 0);
        double claimedSeconds = secondsSince(backNanos);
        System.out.printf("kafka restart: broker back -> job published %.1f s, -> claimed by the worker %.1f s%n",
                publishedSeconds, claimedSeconds);

        await("job after the restart SUCCEEDED", Duration.ofSeconds(60), () -> "SUCCEEDED".equals(fixture.status(after)));
        assertEquals(1, fixture.attempts(after), "delivered once");
        assertEquals(2, solver.solves(), "one solve per job");
    }

    private UUID insertJob() {
        JobSpec lasso = JobFixture.denoising(5, 3);
        return fixture.insertJob(new JobSpec(MODEL, lasso.problem(), lasso.solver(), null), JobFixture.testImage(16));
    }

    private static double secondsSince(long nanos) {
        return (System.nanoTime() - nanos) / 1e9;
    }
}
