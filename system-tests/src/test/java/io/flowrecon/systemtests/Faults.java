package io.flowrecon.systemtests;

import io.flowrecon.devstack.stack.ChildProcess;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The load test's faults, on their own thread: a worker killed with SIGKILL once a sixth of the jobs are done and
 * then every {@code killEvery} (round robin, each restarted at once under its id, as an orchestrator restarts a
 * pod), Kafka restarted once a third of the jobs are done and PostgreSQL once two thirds are. Faults follow progress, not the clock, so they land in the
 * middle of the run on a fast machine and on a slow one alike.
 */
final class Faults implements Runnable {

    /** How long each server stays down: long enough that clients and workers notice, and must reconnect. */
    private static final long DOWN_MILLIS = 5_000;
    /** A line of progress a minute, so that a long run that is stopped early still says how far it got. */
    private static final long PROGRESS_EVERY_NANOS = 60_000_000_000L;

    private final LoadAndFaultSystemTest.LoadPlan plan;
    private final RunningSystem system;
    private final RestartableInfrastructure infra;
    private final List<String> workerIds;
    private final List<String> happened = new ArrayList<>();
    private final long startNanos = System.nanoTime();
    private volatile boolean stopped;
    private int kills;
    private boolean kafkaRestarted;
    private boolean postgresRestarted;

    Faults(LoadAndFaultSystemTest.LoadPlan plan, RunningSystem system, RestartableInfrastructure infra,
           List<String> workerIds) {
        this.plan = plan;
        this.system = system;
        this.infra = infra;
        this.workerIds = workerIds;
    }

    @Override
    public void run() {
        long nextKill = Long.MAX_VALUE;
        long nextProgressLine = System.nanoTime();
        try {
            while (!stopped) {
                int done = doneJobs();
                if (System.nanoTime() - nextProgressLine >= 0) {
                    System.out.printf(Locale.ROOT, "load: %.0f s, %d of %d jobs done, %d kills%n",
                            (System.nanoTime() - startNanos) / 1e9, done, plan.jobs(), kills);
                    nextProgressLine = System.nanoTime() + PROGRESS_EVERY_NANOS;
                }
                if (kills == 0 && done >= plan.jobs() / 6) {
                    nextKill = System.nanoTime();
                }
                if (kills < plan.maxKills() && System.nanoTime() - nextKill >= 0) {
                    killAndRestart(workerIds.get(kills % workerIds.size()));
                    nextKill = System.nanoTime() + plan.killEvery().toNanos();
                }
                if (!kafkaRestarted && done >= plan.jobs() / 3) {
                    kafkaRestarted = true;
                    note("Kafka stopped at " + done + " done");
                    infra.stopKafka();
                    Thread.sleep(DOWN_MILLIS);
                    infra.startKafka();
                    note("Kafka started again");
                }
                if (!postgresRestarted && done >= 2 * plan.jobs() / 3) {
                    postgresRestarted = true;
                    note("PostgreSQL stopped at " + done + " done");
                    infra.stopPostgres();
                    Thread.sleep(DOWN_MILLIS);
                    infra.startPostgres();
                    note("PostgreSQL started again");
                }
                Thread.sleep(500);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Kills the worker and starts its next process at once, without waiting for it to be ready: on a loaded
     * machine a JVM's start can outlast any wait, and whether the jobs still end once is what is checked.
     */
    private void killAndRestart(String workerId) {
        ChildProcess victim = system.workerProcess(workerId);
        victim.kill();
        kills++;
        note("SIGKILL " + workerId + " (pid " + victim.pid() + ")");
        system.workerStarter(workerId).get();
    }

    /** Final jobs so far; -1 while the database cannot answer. */
    private int doneJobs() {
        try (Connection c = system.database();
             PreparedStatement s = c.prepareStatement(
                     "select count(*) from jobs where status in ('SUCCEEDED', 'FAILED', 'CANCELLED')");
             ResultSet r = s.executeQuery()) {
            r.next();
            return r.getInt(1);
        } catch (SQLException e) {
            return -1;
        }
    }

    private synchronized void note(String what) {
        happened.add(String.format(Locale.ROOT, "%.0f s %s", (System.nanoTime() - startNanos) / 1e9, what));
    }

    void stop() {
        stopped = true;
    }

    /** What was done and when, for the report; fails the run if a planned fault never happened. */
    synchronized String summary() {
        if (!kafkaRestarted || !postgresRestarted || kills == 0) {
            throw new AssertionError("not every fault happened: " + happened);
        }
        return kills + " worker kills; " + String.join(", ", happened);
    }
}
