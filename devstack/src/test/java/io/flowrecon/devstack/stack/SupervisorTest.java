package io.flowrecon.devstack.stack;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The supervisor with real child processes ({@code sleep}), killed the way a crash kills them. */
class SupervisorTest {

    /** Short delays so the test is quick; the waits below allow for a loaded machine, and never assert on time. */
    private static final RestartPolicy QUICK = new RestartPolicy(Duration.ofMillis(100), Duration.ofMillis(400),
            Duration.ofMinutes(1));
    private static final Duration WAIT = Duration.ofSeconds(60);

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);

    @Test
    void aKilledChildIsRestartedAndItsSiblingIsLeftAlone(@TempDir Path logs) throws Exception {
        try (Supervisor supervisor = new Supervisor(QUICK, out)) {
            Supervisor.Supervised worker = supervisor.supervise("worker", () -> sleeper("worker", logs));
            Supervisor.Supervised api = supervisor.supervise("api", () -> sleeper("api", logs));
            ChildProcess first = worker.current();
            long apiPid = api.current().pid();

            first.kill();
            await("the worker restarted", () -> worker.restarts() == 1 && worker.current().isAlive());

            assertNotEquals(first.pid(), worker.current().pid());
            assertEquals(apiPid, api.current().pid(), "the API was not touched");
            assertTrue(api.current().isAlive());
            String text = printed.toString(StandardCharsets.UTF_8);
            assertTrue(text.contains("the worker process (pid " + first.pid() + ") exited with code 137"), text);
            assertTrue(text.contains("flowrecon: worker restarted (pid " + worker.current().pid() + ", restart 1)"), text);
        }
    }

    @Test
    void stoppingStopsEveryChildAndRestartsNone(@TempDir Path logs) throws Exception {
        Supervisor.Supervised worker;
        Supervisor.Supervised api;
        try (Supervisor supervisor = new Supervisor(QUICK, out)) {
            worker = supervisor.supervise("worker", () -> sleeper("worker", logs));
            api = supervisor.supervise("api", () -> sleeper("api", logs));
        }
        assertFalse(worker.current().isAlive());
        assertFalse(api.current().isAlive());
        Thread.sleep(QUICK.max().toMillis() * 3);
        assertEquals(0, worker.restarts() + api.restarts(), printed.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aChildThatKeepsDyingIsRestartedWithGrowingDelays(@TempDir Path logs) throws Exception {
        try (Supervisor supervisor = new Supervisor(QUICK, out)) {
            Supervisor.Supervised crashing = supervisor.supervise("crashing", () -> ChildProcess.start("crashing",
                    List.of("sh", "-c", "exit 3"), Map.of(), logs, logs.resolve("crashing.log")));
            await("three restarts", () -> crashing.restarts() >= 3);
        }
        String text = printed.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("exited with code 3"), text);
        int first = text.indexOf("restarting it in 0.1 s");
        int second = text.indexOf("restarting it in 0.2 s");
        int third = text.indexOf("restarting it in 0.4 s");
        assertTrue(first >= 0 && first < second && second < third, "delays 0.1, 0.2, 0.4 s in that order:\n" + text);
    }

    @Test
    void aRestartThatCannotStartIsTriedAgainAfterALongerDelay(@TempDir Path logs) throws Exception {
        AtomicInteger starts = new AtomicInteger();
        try (Supervisor supervisor = new Supervisor(QUICK, out)) {
            Supervisor.Supervised flaky = supervisor.supervise("flaky", () -> {
                if (starts.incrementAndGet() == 2) {
                    throw new IllegalStateException("the jar is missing");
                }
                return sleeper("flaky", logs);
            });
            flaky.current().kill();
            await("restarted after one failed start", () -> flaky.restarts() == 1 && flaky.current().isAlive());
        }
        assertEquals(3, starts.get(), "the first start, the failed one, the good one");
        String text = printed.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("flowrecon: flaky could not be restarted (the jar is missing); trying again in 0.2 s"),
                text);
    }

    private static ChildProcess sleeper(String name, Path logs) {
        return ChildProcess.start(name, List.of("sleep", "600"), Map.of(), logs, logs.resolve(name + ".log"));
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(50);
        }
    }
}
