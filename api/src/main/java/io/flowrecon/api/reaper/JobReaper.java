package io.flowrecon.api.reaper;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowrecon.api.config.ApiConfig;
import io.flowrecon.shared.messaging.JobMessage;
import io.flowrecon.shared.messaging.Topics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Returns jobs RUNNING on a dead worker to the queue. Kafka's share group redelivers a record whose lock a dead
 * consumer stops renewing, so this is the safety net for what that cannot see: a record already acknowledged or
 * archived, or lost with the broker's data, while its job still says RUNNING.
 *
 * <p>A job is orphaned when it has been RUNNING longer than the timeout and its worker has no heartbeat fresher
 * than the timeout from the incarnation that claimed it ({@code worker_heartbeats.started_at} not after the
 * job's {@code started_at}; a process restarted under the same worker id does not vouch for its predecessor's
 * jobs). In one transaction each orphan goes back to QUEUED, gets a {@code job_events} row saying why, and an
 * outbox row that announces it again, so the state change and its message are written together or not at all.
 * The worker that held it, if it was only slow, finds its claim gone when it commits (the result is fenced on
 * status, worker and attempt) and drops its result.
 *
 * <p>Several API replicas: one reaps at a time ({@code pg_try_advisory_xact_lock}, released with the
 * transaction); the guarded update and {@code skip locked} would keep two from requeuing a job twice anyway.
 */
@ApplicationScoped
public class JobReaper {

    private static final Logger LOG = Logger.getLogger(JobReaper.class);
    /** The advisory lock key: "flowreap" in ASCII. */
    static final long LEADER_LOCK = 0x666c6f7772656170L;

    private static final String REQUEUE = """
            with orphan as (
                select j.id from jobs j
                 where j.status = 'RUNNING'
                   and coalesce(j.started_at, j.updated_at) < now() - make_interval(secs => ?)
                   and not exists (select 1 from worker_heartbeats h
                                    where h.worker_id = j.worker_id
                                      and h.last_seen > now() - make_interval(secs => ?)
                                      and h.started_at <= coalesce(j.started_at, j.updated_at))
                 order by j.started_at
                 limit ?
                 for update of j skip locked)
            update jobs j set status = 'QUEUED', updated_at = now()
              from orphan
             where j.id = orphan.id and j.status = 'RUNNING'
            returning j.id, j.worker_id, j.attempts, j.model_id, j.spec_hash,
                      (select h.last_seen from worker_heartbeats h where h.worker_id = j.worker_id),
                      (select h.started_at > coalesce(j.started_at, j.updated_at)
                         from worker_heartbeats h where h.worker_id = j.worker_id)
            """;
    /** The job's last announcement again (its topic and payload as the submitter chose them), else a default. */
    private static final String REANNOUNCE = """
            insert into outbox (topic, message_key, payload)
            select topic, message_key, payload from outbox where message_key = ? order by id desc limit 1
            """;
    private static final String ANNOUNCE = "insert into outbox (topic, message_key, payload) values (?, ?, ?::jsonb)";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String EVENT = "insert into job_events (job_id, kind, detail) values (?, 'requeued', ?)";

    private final DataSource dataSource;
    private final ApiConfig.Reaper config;
    private final Counter requeued;
    private ScheduledExecutorService thread;

    public JobReaper(DataSource dataSource, ApiConfig config, MeterRegistry meters) {
        this.dataSource = dataSource;
        this.config = config.reaper();
        this.requeued = meters.counter("flowrecon.reaper.requeued");
    }

    void onStart(@Observes StartupEvent event) {
        if (!config.enabled()) {
            return;
        }
        thread = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread t = new Thread(runnable, "flowrecon-job-reaper");
            t.setDaemon(true);
            return t;
        });
        thread.scheduleWithFixedDelay(this::pass, config.intervalMillis(), config.intervalMillis(), TimeUnit.MILLISECONDS);
    }

    void onStop(@Observes ShutdownEvent event) throws InterruptedException {
        if (thread != null) {
            thread.shutdownNow();
            thread.awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    private void pass() {
        try {
            reapOnce();
        } catch (SQLException | RuntimeException e) {
            // The database is down or restarting: the next pass tries again.
            LOG.warnf("job reaper: pass failed (%s)", e.toString());
        }
    }

    /**
     * One pass: requeues up to a batch of orphaned jobs, unless another replica holds the reaper's lock.
     *
     * @return the jobs returned to the queue
     */
    public List<Requeued> reapOnce() throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                List<Requeued> jobs = leader(connection) ? requeue(connection) : List.of();
                connection.commit();
                requeued.increment(jobs.size());
                for (Requeued job : jobs) {
                    LOG.infof("job %s: %s", job.jobId(), job.reason());
                }
                return jobs;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        }
    }

    private static boolean leader(Connection connection) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement("select pg_try_advisory_xact_lock(?)")) {
            lock.setLong(1, LEADER_LOCK);
            try (ResultSet rows = lock.executeQuery()) {
                return rows.next() && rows.getBoolean(1);
            }
        }
    }

    private List<Requeued> requeue(Connection connection) throws SQLException {
        List<Requeued> jobs = new ArrayList<>();
        List<String[]> announcements = new ArrayList<>();
        try (PreparedStatement update = connection.prepareStatement(REQUEUE)) {
            update.setLong(1, config.timeoutSeconds());
            update.setLong(2, config.timeoutSeconds());
            update.setInt(3, config.batchSize());
            try (ResultSet rows = update.executeQuery()) {
                while (rows.next()) {
                    UUID id = rows.getObject(1, UUID.class);
                    String worker = rows.getString(2);
                    int attempt = rows.getInt(3);
                    Timestamp lastSeen = rows.getTimestamp(6);
                    boolean restarted = rows.getBoolean(7) && !rows.wasNull();
                    jobs.add(new Requeued(id, worker, attempt, reason(worker, attempt, lastSeen, restarted)));
                    announcements.add(new String[]{id.toString(), rows.getString(4), rows.getString(5)});
                }
            }
        }
        for (int i = 0; i < jobs.size(); i++) {
            Requeued job = jobs.get(i);
            announce(connection, announcements.get(i));
            try (PreparedStatement event = connection.prepareStatement(EVENT)) {
                event.setObject(1, job.jobId());
                event.setString(2, job.reason());
                event.executeUpdate();
            }
        }
        return jobs;
    }

    private static void announce(Connection connection, String[] job) throws SQLException {
        try (PreparedStatement again = connection.prepareStatement(REANNOUNCE)) {
            again.setString(1, job[0]);
            if (again.executeUpdate() == 1) {
                return;
            }
        }
        String message;
        try {
            message = JSON.writeValueAsString(new JobMessage(job[0], job[1], job[2]));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a record of strings always serialises", e);
        }
        try (PreparedStatement first = connection.prepareStatement(ANNOUNCE)) {
            first.setString(1, Topics.JOBS);
            first.setString(2, job[0]);
            first.setString(3, message);
            first.executeUpdate();
        }
    }

    private String reason(String worker, int attempt, Timestamp lastSeen, boolean restarted) {
        String cause;
        if (lastSeen == null) {
            cause = "worker " + worker + " has no heartbeat";
        } else if (restarted) {
            cause = "worker " + worker + " restarted (a new process registered) during it";
        } else {
            cause = "worker " + worker + " stopped heartbeating (last seen " + lastSeen.toInstant() + ", timeout "
                    + config.timeoutSeconds() + " s)";
        }
        return "returned to the queue after attempt " + attempt + ": " + cause;
    }

    /** A job the reaper returned to the queue, and why. */
    public record Requeued(UUID jobId, String workerId, int attempt, String reason) {
    }
}
