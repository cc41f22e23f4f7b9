package io.flowrecon.systemtests;

import com.fasterxml.jackson.databind.JsonNode;
import io.flowrecon.devstack.Infrastructure;
import io.flowrecon.devstack.junit.InfrastructureExtension;
import io.flowrecon.devstack.stack.ApiClient;
import io.flowrecon.devstack.stack.ChildProcess;
import io.flowrecon.devstack.stack.Demo;
import io.flowrecon.devstack.stack.RestartPolicy;
import io.flowrecon.devstack.stack.Supervisor;
import io.flowrecon.shared.image.Png;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The local stack's supervision with real processes: the worker JVM under a {@link Supervisor}, as {@code
 * ./flowrecon up} runs it, killed with SIGKILL. The API keeps answering, and the restarted worker (the same
 * worker id, a new incarnation) finishes the jobs queued while it was down.
 */
@ExtendWith(InfrastructureExtension.class)
class SupervisedWorkerSystemTest {

    private static final Duration JOB_DEADLINE = Duration.ofMinutes(6);
    private static final Duration RESTART_DEADLINE = Duration.ofMinutes(2);

    @Test
    void aKilledWorkerIsRestartedWhileTheApiKeepsAnsweringAndItFinishesTheQueue(Infrastructure infra) throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);
        try (RunningSystem system = RunningSystem.start(infra, "supervised_worker", Path.of("target", "supervised"));
             Supervisor supervisor = new Supervisor(RestartPolicy.STANDARD, out)) {
            Supervisor.Supervised worker = supervisor.supervise("worker", system.workerStarter("supervised-worker"));
            system.awaitWorkerReady("supervised-worker", worker.current());
            ApiClient api = system.api();
            String before = api.submit(job(1)).path("id").asText();
            assertEquals("SUCCEEDED", system.awaitFinal(before, JOB_DEADLINE).path("status").asText());

            ChildProcess killed = worker.current();
            killed.kill();
            List<String> queued = new ArrayList<>();
            for (int seed = 2; seed <= 4; seed++) {
                queued.add(api.submit(job(seed)).path("id").asText());
            }
            assertEquals(200, api.get("/q/health/ready").status(), "the API answers while the worker is down");
            assertEquals(200, api.get("/api/v1/jobs/" + before).status());

            long deadline = System.nanoTime() + RESTART_DEADLINE.toNanos();
            while (worker.restarts() < 1 && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertEquals(1, worker.restarts(), printed.toString(StandardCharsets.UTF_8));
            assertNotEquals(killed.pid(), worker.current().pid());
            for (String id : queued) {
                JsonNode job = system.awaitFinal(id, JOB_DEADLINE);
                assertEquals("SUCCEEDED", job.path("status").asText(), "job " + job);
                assertEquals("supervised-worker", job.path("result").path("workerId").asText(), "job " + job);
            }
            String text = printed.toString(StandardCharsets.UTF_8);
            assertTrue(text.contains("the worker process (pid " + killed.pid() + ") exited with code 137"), text);
            assertTrue(text.contains("flowrecon: worker restarted (pid " + worker.current().pid() + ", restart 1)"), text);
        }
    }

    private static String job(int seed) {
        return Demo.compressiveSensingJob("lasso-dct", 100, seed, Png.encode(Sweep.grey(16, seed)));
    }
}
