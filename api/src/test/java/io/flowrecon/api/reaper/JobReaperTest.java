package io.flowrecon.api.reaper;

import io.flowrecon.api.support.TestKeys;
import io.flowrecon.api.support.InfrastructureResource;
import io.flowrecon.api.support.TestJobs;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The reaper against the real database: which RUNNING jobs it returns to the queue (dead, silent, replaced
 * workers) and which it leaves alone (live workers, jobs claimed a moment ago), with one outbox row and one event
 * per requeue, and no second requeue when passes race.
 */
@QuarkusTest
@QuarkusTestResource(InfrastructureResource.class)
class JobReaperTest {

    /** Well past the default timeout (60 s), so the test does not depend on when a pass runs. */
    private static final String LONG_AGO = "now() - interval '10 minutes'";

    @Inject
    DataSource dataSource;
    @Inject
    JobReaper reaper;

    @Test
    void jobsOfDeadSilentAndReplacedWorkersAreRequeuedOnceWithAReason() throws Exception {
        String owner = TestJobs.uniqueOwner();
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String dead = "dead-" + suffix;
        String live = "live-" + suffix;
        String reborn = "reborn-" + suffix;
        String ghost = "ghost-" + suffix;
        heartbeat(dead, LONG_AGO, LONG_AGO);
        heartbeat(live, LONG_AGO, "now()");
        heartbeat(reborn, "now() - interval '1 minute'", "now()");

        UUID onDead = running(owner, dead, LONG_AGO);
        UUID onLive = running(owner, live, LONG_AGO);
        UUID onReborn = running(owner, reborn, LONG_AGO);
        UUID onGhost = running(owner, ghost, LONG_AGO);
        UUID justClaimed = running(owner, ghost, "now()");

        Set<UUID> requeued = reapUntilQuiet();

        assertTrue(requeued.containsAll(List.of(onDead, onReborn, onGhost)), "requeued: " + requeued);
        assertEquals("QUEUED", status(onDead));
        assertEquals("QUEUED", status(onReborn));
        assertEquals("QUEUED", status(onGhost));
        assertEquals("RUNNING", status(onLive), "a live worker keeps its job");
        assertEquals("RUNNING", status(justClaimed), "a job claimed within the timeout is left alone");
        for (UUID job : List.of(onDead, onReborn, onGhost)) {
            assertEquals(2, count("select count(*) from outbox where message_key = ?", job.toString()),
                    "the submission's announcement and one more");
            assertEquals(1, count("select count(*) from job_events where job_id = ? and kind = 'requeued'", job));
        }
        assertEquals(1, count("""
                select count(*) from outbox a join outbox b on a.message_key = b.message_key and a.id < b.id
                 where a.message_key = ? and a.topic = b.topic and a.payload = b.payload""", onDead.toString()),
                "the announcement repeats the original topic and payload");

        TestKeys.as(owner).when().get("/api/v1/jobs/" + onDead).then().statusCode(200)
                .body("status", equalTo("QUEUED"))
                .body("events[0].kind", equalTo("requeued"))
                .body("events[0].detail", containsString("worker " + dead + " stopped heartbeating"));
        TestKeys.as(owner).when().get("/api/v1/jobs/" + onReborn).then().statusCode(200)
                .body("events[0].detail", containsString("restarted"));
        TestKeys.as(owner).when().get("/api/v1/jobs/" + onGhost).then().statusCode(200)
                .body("events[0].detail", containsString("has no heartbeat"));
        TestKeys.as(owner).when().get("/api/v1/jobs/" + onLive).then().statusCode(200)
                .body("events.size()", equalTo(0));
    }

    @Test
    void racingPassesRequeueAnOrphanOnce() throws Exception {
        String owner = TestJobs.uniqueOwner();
        String worker = "racing-dead-" + UUID.randomUUID().toString().substring(0, 8);
        List<UUID> jobs = new java.util.ArrayList<>();
        for (int i = 0; i < 20; i++) {
            jobs.add(running(owner, worker, LONG_AGO));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            Callable<Integer> pass = () -> reaper.reapOnce().size();
            List<Future<Integer>> passes = pool.invokeAll(List.of(pass, pass, pass, pass));
            for (Future<Integer> f : passes) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        reapUntilQuiet();
        for (UUID job : jobs) {
            assertEquals("QUEUED", status(job));
            assertEquals(1, count("select count(*) from job_events where job_id = ?", job), "one requeue of " + job);
            assertEquals(2, count("select count(*) from outbox where message_key = ?", job.toString()));
        }
    }

    /** Passes until one finds nothing (the background pass may have taken some first); what they requeued. */
    private Set<UUID> reapUntilQuiet() throws SQLException {
        Set<UUID> all = new java.util.HashSet<>();
        for (int i = 0; i < 20; i++) {
            List<JobReaper.Requeued> pass = reaper.reapOnce();
            all.addAll(pass.stream().map(JobReaper.Requeued::jobId).collect(Collectors.toSet()));
            if (pass.isEmpty() && i > 0) {
                break;
            }
        }
        // Jobs a background pass requeued carry their event; count them too.
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("select distinct job_id from job_events where kind = 'requeued'");
             ResultSet r = s.executeQuery()) {
            while (r.next()) {
                all.add(r.getObject(1, UUID.class));
            }
        }
        return all;
    }

    /** A submitted job, then what a worker's claim makes of it: RUNNING under {@code worker} since {@code startedAt}. */
    private UUID running(String owner, String worker, String startedAt) throws SQLException {
        String id = TestKeys.as(owner).contentType(ContentType.JSON)
                .body(TestJobs.lassoJob(20).toString()).when().post("/api/v1/jobs")
                .then().statusCode(202).extract().path("id");
        UUID job = UUID.fromString(id);
        execute("update jobs set status = 'RUNNING', worker_id = ?, attempts = 1, started_at = " + startedAt
                + " where id = ?", worker, job);
        return job;
    }

    private void heartbeat(String worker, String startedAt, String lastSeen) throws SQLException {
        execute("insert into worker_heartbeats (worker_id, host, started_at, last_seen, version) values (?, 'test', "
                + startedAt + ", " + lastSeen + ", 'test')", worker);
    }

    private String status(UUID job) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("select status from jobs where id = ?")) {
            s.setObject(1, job);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getString(1);
            }
        }
    }

    private long count(String sql, Object... args) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                s.setObject(i + 1, args[i]);
            }
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    private void execute(String sql, Object... args) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                s.setObject(i + 1, args[i]);
            }
            s.executeUpdate();
        }
    }
}
