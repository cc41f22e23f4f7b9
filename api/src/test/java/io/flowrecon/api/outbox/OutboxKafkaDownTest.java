package io.flowrecon.api.outbox;

import io.flowrecon.api.support.TestKeys;
import io.flowrecon.api.support.InfrastructureResource;
import io.flowrecon.api.support.TestJobs;
import io.flowrecon.devstack.Infrastructure;
import io.flowrecon.shared.messaging.Topics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@QuarkusTestResource(InfrastructureResource.class)
class OutboxKafkaDownTest {

    Infrastructure infra;

    @Inject
    DataSource dataSource;

    private boolean published(String id) throws Exception {
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("select published_at is not null from outbox where message_key = ?")) {
            s.setString(1, id);
            try (ResultSet r = s.executeQuery()) {
                assertTrue(r.next(), "outbox row exists");
                return r.getBoolean(1);
            }
        }
    }

    @Test
    void submissionSucceedsWhileKafkaIsDownAndIsPublishedAfterItReturns() throws Exception {
        infra.stopKafka();
        String id;
        try {
            id = TestKeys.as(TestJobs.uniqueOwner()).contentType(ContentType.JSON)
                    .body(TestJobs.lassoJob(20).toString()).when().post("/api/v1/jobs")
                    .then().statusCode(202).extract().path("id");
            // Several relay passes fail meanwhile (1.5 s send timeout, back-off up to 1 s).
            Thread.sleep(4000);
            assertFalse(published(id), "nothing can be published while the broker is down");
            given().when().get("/q/health/ready").then().statusCode(200);
        } finally {
            infra.startKafka();
        }
        assertTrue(TestJobs.findRecord(infra.kafkaBootstrapServers(), Topics.JOBS, id, Duration.ofSeconds(90)).isPresent(),
                "the job is published once the broker is back");
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!published(id) && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertTrue(published(id), "the outbox row is marked published");
    }
}
