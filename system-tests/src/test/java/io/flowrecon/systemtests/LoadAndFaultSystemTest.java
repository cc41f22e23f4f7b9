package io.flowrecon.systemtests;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Load with faults, on loopback: concurrent clients submit cheap jobs while workers are killed with SIGKILL and
 * restarted, Kafka is restarted once and PostgreSQL once. Every accepted job must end SUCCEEDED exactly once (one
 * result, from its last attempt), and nothing accepted may be lost. Prints the submit latency (p50, p99) and the
 * throughput, and writes them to {@code target/load-and-fault-PLAN.txt}.
 *
 * <p>In the suite it runs {@link LoadPlan#SHORT}; {@code -Dflowrecon.load=full} runs {@link LoadPlan#FULL}:
 * {@code ./mvnw -pl system-tests verify -Dtest=LoadAndFaultSystemTest -Dflowrecon.load=full}.
 */
class LoadAndFaultSystemTest {

    /**
     * @param window    unfinished jobs a client keeps before it waits for one to end (it polls them)
     * @param killEvery pause between worker kills; each killed worker is restarted at once under the same id
     * @param maxKills  kills in the whole run
     */
    record LoadPlan(String name, int jobs, int clients, int workers, int window, Duration killEvery, int maxKills,
                    Duration deadline) {

        static final LoadPlan SHORT = new LoadPlan("short", 200, 4, 2, 4, Duration.ofSeconds(30), 1,
                Duration.ofMinutes(25));
        static final LoadPlan FULL = new LoadPlan("full", 2000, 20, 3, 4, Duration.ofMinutes(1), Integer.MAX_VALUE,
                Duration.ofHours(2));

        static LoadPlan chosen() {
            return "full".equals(System.getProperty("flowrecon.load")) ? FULL : SHORT;
        }
    }

    @Test
    void everyAcceptedJobEndsExactlyOnceThroughKillsAndRestarts(@TempDir Path data) throws Exception {
        LoadPlan plan = LoadPlan.chosen();
        try (RestartableInfrastructure infra = RestartableInfrastructure.start(data);
             RunningSystem system = RunningSystem.start(infra, "load_and_fault", Path.of("target", "load-and-fault"))) {
            List<String> workerIds = new ArrayList<>();
            for (int w = 1; w <= plan.workers(); w++) {
                workerIds.add("load-worker-" + w);
                system.startWorker("load-worker-" + w);
            }
            Faults faults = new Faults(plan, system, infra, workerIds);
            long startNanos = System.nanoTime();
            ExecutorService pool = Executors.newFixedThreadPool(plan.clients());
            List<Future<SubmittingClient.Outcome>> clients = new ArrayList<>();
            int share = plan.jobs() / plan.clients();
            for (int c = 0; c < plan.clients(); c++) {
                int jobs = c == plan.clients() - 1 ? plan.jobs() - share * c : share;
                clients.add(pool.submit(new SubmittingClient(system.api(), c * share, jobs, plan.window())));
            }
            Thread faultThread = new Thread(faults, "load-faults");
            faultThread.start();

            List<String> accepted = new ArrayList<>();
            List<Long> latencies = new ArrayList<>();
            int refused = 0;
            long allFinalNanos;
            try {
                for (Future<SubmittingClient.Outcome> client : clients) {
                    SubmittingClient.Outcome outcome = client.get();
                    accepted.addAll(outcome.accepted());
                    Arrays.stream(outcome.submitNanos()).forEach(latencies::add);
                    refused += outcome.refusedTries();
                }
                awaitAllFinal(system, accepted.size(), plan.deadline());
                allFinalNanos = System.nanoTime();
            } finally {
                faults.stop();
                faultThread.join();
                pool.shutdownNow();
            }
            double wallSeconds = (allFinalNanos - startNanos) / 1e9;

            Counts counts = counts(system);
            assertEquals(plan.jobs(), accepted.size(), "every job was eventually accepted");
            assertEquals(accepted.size(), counts.acceptedSucceeded(system, accepted), "accepted jobs SUCCEEDED once");
            assertEquals(counts.jobs(), counts.succeeded(), "every job in the database SUCCEEDED (" + counts + ")");
            assertEquals(counts.jobs(), counts.results(), "one result per job (" + counts + ")");
            assertEquals(counts.jobs(), counts.lastAttemptResults(), "each result from its job's last attempt");
            report(plan, accepted.size(), counts, refused, latencies, faults, wallSeconds);
        }
    }

    /** Until every job in the database is final: accepted ones, and any whose acceptance the client never heard. */
    private static void awaitAllFinal(RunningSystem system, int accepted, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try (Connection c = system.database();
                 PreparedStatement s = c.prepareStatement("""
                         select count(*), count(*) filter (where status not in ('SUCCEEDED', 'FAILED', 'CANCELLED'))
                           from jobs""");
                 ResultSet r = s.executeQuery()) {
                r.next();
                if (r.getInt(1) >= accepted && r.getInt(2) == 0) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError(r.getInt(2) + " of " + r.getInt(1) + " jobs unfinished after " + timeout
                            + "\nAPI log:\n" + system.apiLogTail(20) + "\nworker logs:\n" + system.workerLogTails());
                }
            } catch (SQLException e) {
                // PostgreSQL restarting: ask again.
            }
            Thread.sleep(1000);
        }
    }

    /** @param databaseSpan first job created to last finished, by the database's clock, for comparison */
    record Counts(int jobs, int succeeded, int results, int lastAttemptResults, int retried, String databaseSpan) {

        /** How many of {@code ids} SUCCEEDED with a result. */
        int acceptedSucceeded(RunningSystem system, List<String> ids) throws SQLException {
            try (Connection c = system.database();
                 PreparedStatement s = c.prepareStatement("""
                         select count(*) from jobs j join results r on r.job_id = j.id
                          where j.status = 'SUCCEEDED' and j.id = any(?::uuid[])""")) {
                s.setArray(1, c.createArrayOf("text", ids.toArray()));
                try (ResultSet r = s.executeQuery()) {
                    r.next();
                    return r.getInt(1);
                }
            }
        }
    }

    private static Counts counts(RunningSystem system) throws SQLException {
        try (Connection c = system.database();
             PreparedStatement s = c.prepareStatement("""
                     select count(*), count(*) filter (where j.status = 'SUCCEEDED'), count(r.job_id),
                            count(*) filter (where (r.provenance ->> 'attempt')::int = j.attempts),
                            count(*) filter (where j.attempts > 1),
                            min(j.created_at)::text || ' to ' || max(j.finished_at)::text
                       from jobs j left join results r on r.job_id = j.id""");
             ResultSet r = s.executeQuery()) {
            r.next();
            return new Counts(r.getInt(1), r.getInt(2), r.getInt(3), r.getInt(4), r.getInt(5), r.getString(6));
        }
    }

    private static void report(LoadPlan plan, int accepted, Counts counts, int refused, List<Long> latencies,
                               Faults faults, double wallSeconds) throws Exception {
        long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        String text = String.format(Locale.ROOT, """
                        load and fault test (%s): %d jobs from %d clients, %d workers, %d processors
                          faults: %s
                          accepted %d, refused tries %d (retried by the clients), jobs in the database %d, \
                        SUCCEEDED %d, results %d, jobs that needed more than one attempt %d
                          submit latency of accepted jobs: p50 %.1f ms, p99 %.1f ms, max %.1f ms
                          throughput: %.2f jobs/s (%d jobs from the clients' start until all were final, %.1f s)
                          by the database's clock: first job created to last finished %s
                        """, plan.name(), plan.jobs(), plan.clients(), plan.workers(),
                Runtime.getRuntime().availableProcessors(), faults.summary(), accepted, refused, counts.jobs(),
                counts.succeeded(), counts.results(), counts.retried(), millis(sorted, 0.50), millis(sorted, 0.99),
                sorted[sorted.length - 1] / 1e6, counts.jobs() / wallSeconds, counts.jobs(), wallSeconds,
                counts.databaseSpan());
        System.out.print(text);
        Files.writeString(Path.of("target", "load-and-fault-" + plan.name() + ".txt"), text);
    }

    /** Nearest-rank percentile of sorted nanoseconds, in milliseconds. */
    private static double millis(long[] sorted, double quantile) {
        int rank = (int) Math.ceil(quantile * sorted.length);
        return sorted[Math.max(0, rank - 1)] / 1e6;
    }
}
