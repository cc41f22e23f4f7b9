package io.flowrecon.api.outbox;

import io.flowrecon.api.support.InfrastructureResource;
import io.flowrecon.api.support.TestJobs;
import io.flowrecon.devstack.Infrastructure;
import io.flowrecon.shared.messaging.Topics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The relay publishes a job of an experiment to the sweep topic and any other job to the row's
 * topic. The rows are written as the API writes them (job row, outbox row in Topics.JOBS).
 */
@QuarkusTest
@QuarkusTestResource(InfrastructureResource.class)
class OutboxSweepTopicTest {

    Infrastructure infra;

    @Inject
    DataSource dataSource;

    @Test
    void experimentJobsGoToTheSweepTopicAndOtherJobsToTheJobTopic() throws Exception {
        UUID experiment = UUID.randomUUID();
        execute("insert into experiments (id, owner, name, spec) values (?, 'sweeper', 'routing', '{}'::jsonb)", experiment);
        UUID sweepJob = insertJobAndOutboxRow(experiment);
        UUID interactiveJob = insertJobAndOutboxRow(null);

        Duration wait = Duration.ofSeconds(60);
        assertTrue(TestJobs.findRecord(infra.kafkaBootstrapServers(), Topics.SWEEP_JOBS, sweepJob.toString(), wait)
                .isPresent(), "the experiment's job is on " + Topics.SWEEP_JOBS);
        assertTrue(TestJobs.findRecord(infra.kafkaBootstrapServers(), Topics.JOBS, interactiveJob.toString(), wait)
                .isPresent(), "the interactive job is on " + Topics.JOBS);
        // Both are published by now; a short read of each topic to its end finds neither on the other topic.
        Duration read = Duration.ofSeconds(5);
        assertFalse(TestJobs.findRecord(infra.kafkaBootstrapServers(), Topics.JOBS, sweepJob.toString(), read)
                .isPresent(), "the experiment's job is not on " + Topics.JOBS);
        assertFalse(TestJobs.findRecord(infra.kafkaBootstrapServers(), Topics.SWEEP_JOBS, interactiveJob.toString(), read)
                .isPresent(), "the interactive job is not on " + Topics.SWEEP_JOBS);
    }

    private UUID insertJobAndOutboxRow(UUID experiment) throws SQLException {
        UUID id = UUID.randomUUID();
        execute("""
                insert into jobs (id, owner, model_id, experiment_id, problem_kind, spec, spec_hash, status)
                values (?, 'sweeper', 'lasso-dct', ?, 'denoising', '{}'::jsonb, ?, 'QUEUED')""",
                id, experiment, "hash-" + id);
        execute("insert into outbox (topic, message_key, payload) values (?, ?, ?::jsonb)", Topics.JOBS, id.toString(),
                "{\"jobId\":\"" + id + "\"}");
        return id;
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
