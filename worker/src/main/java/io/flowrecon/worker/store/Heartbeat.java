package io.flowrecon.worker.store;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.net.InetAddress;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * This worker's row in {@code worker_heartbeats}: written at start (a new incarnation: {@code started_at} is
 * reset), touched every {@link #DEFAULT_INTERVAL} on its own thread, deleted on a clean stop. The API's reaper
 * reads it to tell a dead worker's RUNNING jobs from a live one's; a beat that fails (the database is down) is
 * logged and the next one tries again.
 */
public final class Heartbeat implements AutoCloseable {

    /** A twelfth of the API's default reaper timeout (60 s), so that a few lost beats never look like death. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(5);

    private static final Logger LOG = LoggerFactory.getLogger(Heartbeat.class);
    private static final String REGISTER = """
            insert into worker_heartbeats (worker_id, host, started_at, last_seen, version)
            values (?, ?, now(), now(), ?)
            on conflict (worker_id) do update
               set host = excluded.host, started_at = excluded.started_at, last_seen = excluded.last_seen,
                   version = excluded.version""";
    private static final String TOUCH = "update worker_heartbeats set last_seen = now() where worker_id = ?";

    private final DataSource dataSource;
    private final String workerId;
    private final String version;
    private final Duration interval;
    private final ScheduledExecutorService thread;
    private volatile boolean registered;

    public Heartbeat(DataSource dataSource, String workerId, String version, Duration interval) {
        this.dataSource = dataSource;
        this.workerId = workerId;
        this.version = version;
        this.interval = interval;
        this.thread = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread t = new Thread(runnable, "flowrecon-heartbeat-" + workerId);
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Registers this incarnation now, before the worker claims anything (the reaper treats a job claimed before
     * its worker's {@code started_at} as an earlier incarnation's orphan), then beats every interval. When the
     * database is down the registration is retried with the beats.
     */
    public Heartbeat start() {
        beat();
        thread.scheduleWithFixedDelay(this::beat, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /** One beat: the first successful one registers the incarnation, later ones touch last_seen. */
    void beat() {
        try (Connection c = dataSource.getConnection()) {
            if (!registered || touch(c) == 0) {
                // Not registered yet, or the row was removed (e.g. by an operator): register again.
                try (PreparedStatement register = c.prepareStatement(REGISTER)) {
                    register.setString(1, workerId);
                    register.setString(2, hostName());
                    register.setString(3, version);
                    register.executeUpdate();
                }
                registered = true;
            }
        } catch (SQLException | RuntimeException e) {
            LOG.warn("worker {}: heartbeat not written ({}); trying again in {} s", workerId, e.toString(),
                    interval.toSeconds());
        }
    }

    private int touch(Connection c) throws SQLException {
        try (PreparedStatement touch = c.prepareStatement(TOUCH)) {
            touch.setString(1, workerId);
            return touch.executeUpdate();
        }
    }

    /** Stops beating and deletes the row, so the worker stops counting as live at once. */
    @Override
    public void close() {
        thread.shutdownNow();
        try {
            thread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Connection c = dataSource.getConnection();
             PreparedStatement delete = c.prepareStatement("delete from worker_heartbeats where worker_id = ?")) {
            delete.setString(1, workerId);
            delete.executeUpdate();
        } catch (SQLException | RuntimeException e) {
            LOG.info("worker {}: heartbeat row not deleted ({}); it goes stale instead", workerId, e.toString());
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }
}
