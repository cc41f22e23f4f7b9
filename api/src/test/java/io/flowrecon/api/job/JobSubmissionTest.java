package io.flowrecon.api.job;

import io.flowrecon.api.support.TestKeys;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flowrecon.api.support.InfrastructureResource;
import io.flowrecon.api.support.TestJobs;
import io.flowrecon.devstack.Infrastructure;
import io.flowrecon.shared.messaging.Topics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@QuarkusTestResource(InfrastructureResource.class)
class JobSubmissionTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    Infrastructure infra;

    @Inject
    DataSource dataSource;

    private static Response submit(String owner, Object body) {
        return TestKeys.as(owner).contentType(ContentType.JSON).body(body.toString())
                .when().post("/api/v1/jobs");
    }

    @Test
    void submitStoresJobInputsAndOutboxInOneGoAndPublishesTheClaimCheck() throws Exception {
        String owner = TestJobs.uniqueOwner();
        Response response = submit(owner, TestJobs.lassoJob(100));
        response.then().statusCode(202).body("status", equalTo("QUEUED"))
                .header("Location", containsString("/api/v1/jobs/"));
        String id = response.jsonPath().getString("id");
        assertTrue(response.header("Location").endsWith("/api/v1/jobs/" + id));

        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement s = c.prepareStatement(
                    "select status, owner, model_id, problem_kind, spec::text, spec_hash from jobs where id = ?")) {
                s.setObject(1, UUID.fromString(id));
                try (ResultSet r = s.executeQuery()) {
                    assertTrue(r.next());
                    assertEquals("QUEUED", r.getString(1));
                    assertEquals(owner, r.getString(2));
                    assertEquals("lasso-dct", r.getString(3));
                    assertEquals("compressive-sensing", r.getString(4));
                    JsonNode spec = JSON.readTree(r.getString(5));
                    assertEquals(100, spec.at("/problem/m").asInt());
                    assertEquals("fista", spec.at("/solver/optimizer").asText(), "defaults of lasso-dct filled in");
                    assertEquals(16, spec.at("/imageShape/2").asInt());
                    assertTrue(r.getString(6).matches("[0-9a-f]{64}"));
                }
            }
            try (PreparedStatement s = c.prepareStatement(
                    "select truth_png is not null, measurement_png is null from job_inputs where job_id = ?")) {
                s.setObject(1, UUID.fromString(id));
                try (ResultSet r = s.executeQuery()) {
                    assertTrue(r.next());
                    assertTrue(r.getBoolean(1));
                    assertTrue(r.getBoolean(2));
                }
            }
            try (PreparedStatement s = c.prepareStatement("select topic, payload::text from outbox where message_key = ?")) {
                s.setString(1, id);
                try (ResultSet r = s.executeQuery()) {
                    assertTrue(r.next());
                    assertEquals(Topics.JOBS, r.getString(1));
                }
            }
        }

        ConsumerRecord<String, String> record = TestJobs.findRecord(infra.kafkaBootstrapServers(), Topics.JOBS, id,
                Duration.ofSeconds(60)).orElseThrow(() -> new AssertionError("no message for job " + id));
        JsonNode message = JSON.readTree(record.value());
        assertEquals(id, message.get("jobId").asText());
        assertEquals("lasso-dct", message.get("modelId").asText());
        assertEquals(64, message.get("specHash").asText().length());
        assertNull(message.get("truth"), "claim check: no image in the message");
    }

    @Test
    void invalidSpecIs400WithEveryViolation() {
        ObjectNode body = TestJobs.lassoJob(0);
        ((ObjectNode) body.get("problem")).put("operator", "fourier");
        submit(TestJobs.uniqueOwner(), body).then().statusCode(400).contentType(ContentType.JSON)
                .body("error", equalTo("invalid-spec"))
                .body("violations.field", hasItem("problem.m"))
                .body("violations.field", hasItem("problem.operator"))
                .body("violations.find { it.field == 'problem.m' }.rule", equalTo("must be between 1 and n = 256 (the image is 1x16x16)"));
    }

    @Test
    void unknownModelListsTheRegisteredOnes() {
        ObjectNode body = TestJobs.lassoJob(10);
        body.put("model", "nope");
        submit(TestJobs.uniqueOwner(), body).then().statusCode(400)
                .body("violations[0].field", equalTo("model"))
                .body("violations[0].rule", containsString("registered: deep-decoder, lasso-dct, " + InfrastructureResource.TEST_MODEL))
                .body("violations[0].rule", not(containsString(InfrastructureResource.BROKEN_MODEL)));
    }

    @Test
    void imageShapeIsCheckedAgainstTheBundleCard() {
        submit(TestJobs.uniqueOwner(), TestJobs.glowDenoisingJob(32)).then().statusCode(202);
        submit(TestJobs.uniqueOwner(), TestJobs.glowDenoisingJob(16)).then().statusCode(400)
                .body("violations[0].field", equalTo("truth.png"))
                .body("violations[0].rule", equalTo("image is 3x16x16 but model test32-glow takes 3x32x32"));
    }

    @Test
    void aJobSaysItsLineSearchTheDefaultStrongWolfeOrThePapersFixedStep() {
        String owner = TestJobs.uniqueOwner();
        String byDefault = submit(owner, TestJobs.glowDenoisingJob(32)).then().statusCode(202).extract().path("id");
        ObjectNode fixedStep = TestJobs.glowDenoisingJob(32);
        fixedStep.putObject("solver").put("lineSearch", "none");
        String paper = submit(owner, fixedStep).then().statusCode(202).extract().path("id");
        TestKeys.as(owner).when().get("/api/v1/jobs/" + byDefault).then().statusCode(200)
                .body("spec.solver.optimizer", equalTo("lbfgs")).body("spec.solver.lineSearch", equalTo("strong-wolfe"));
        // stored without the key (older rows' text and hash), shown with it
        TestKeys.as(owner).when().get("/api/v1/jobs/" + paper).then().statusCode(200)
                .body("spec.solver.lineSearch", equalTo("none"));
        ObjectNode adam = TestJobs.glowDenoisingJob(32);
        adam.putObject("solver").put("optimizer", "adam").put("lineSearch", "strong-wolfe");
        submit(owner, adam).then().statusCode(400).body("violations[0].field", equalTo("solver.lineSearch"))
                .body("violations[0].rule", equalTo("a line search needs solver.optimizer lbfgs, got adam"));
    }

    /** What a data binder would answer with a stack trace is a 400 naming the field and the rule. */
    @Test
    void unknownKindWrongTypeAndMissingFieldAreFieldLevel400s() {
        String owner = TestJobs.uniqueOwner();
        ObjectNode unknownKind = TestJobs.lassoJob(100);
        ((ObjectNode) unknownKind.get("problem")).put("kind", "deblurring");
        submit(owner, unknownKind).then().statusCode(400).body("error", equalTo("invalid-spec"))
                .body("violations.find { it.field == 'problem.kind' }.rule",
                        containsString("allowed: denoising, compressive-sensing, inpainting"));

        ObjectNode wrongType = TestJobs.lassoJob(100);
        ((ObjectNode) wrongType.get("problem")).put("m", "many");
        submit(owner, wrongType).then().statusCode(400)
                .body("violations.find { it.field == 'problem.m' }.rule", equalTo("must be an integer"));

        ObjectNode missing = TestJobs.lassoJob(100);
        missing.remove("model");
        submit(owner, missing).then().statusCode(400)
                .body("violations[0].field", equalTo("model")).body("violations[0].rule", equalTo("is required"))
                .body(not(containsString("com.fasterxml")));
    }

    @Test
    void bodyProblemsAre400Json() {
        submit(TestJobs.uniqueOwner(), "{\"model\": ").then().statusCode(400).contentType(ContentType.JSON)
                .body("error", equalTo("malformed-json")).body("message", containsString("not valid JSON"));
        submit(TestJobs.uniqueOwner(), "").then().statusCode(400).body("violations[0].field", equalTo("body"));
        submit(TestJobs.uniqueOwner(), "[1, 2]").then().statusCode(400).body("violations[0].rule", equalTo("must be a JSON object"));
        TestKeys.as(TestJobs.uniqueOwner()).contentType(ContentType.TEXT).body("hello").when().post("/api/v1/jobs")
                .then().statusCode(415).contentType(ContentType.JSON).body("message", not(nullValue()));
    }

    @Test
    void experimentMustExistAndBelongToTheCaller() {
        ObjectNode body = TestJobs.lassoJob(10);
        body.put("experiment", UUID.randomUUID().toString());
        submit(TestJobs.uniqueOwner(), body).then().statusCode(400)
                .body("violations[0].field", equalTo("experiment"))
                .body("violations[0].rule", containsString("no experiment"));
    }

    @Test
    void ownerComesFromTheKeyAndScopesReads() {
        String owner = TestJobs.uniqueOwner();
        String id = TestKeys.as(owner).contentType(ContentType.JSON).body(TestJobs.lassoJob(10).toString())
                .header("X-Flowrecon-Owner", "someone-else")
                .when().post("/api/v1/jobs").then().statusCode(202).extract().path("id");
        TestKeys.as(owner).when().get("/api/v1/jobs/" + id).then().statusCode(200).body("owner", equalTo(owner));
        TestKeys.as("someone-else").when().get("/api/v1/jobs/" + id)
                .then().statusCode(404).body("error", equalTo("not-found"));
    }

    @Test
    void getShowsTheStoredSpecAndNoResultYet() {
        String owner = TestJobs.uniqueOwner();
        String id = submit(owner, TestJobs.lassoJob(42)).then().statusCode(202).extract().path("id");
        TestKeys.as(owner).when().get("/api/v1/jobs/" + id).then().statusCode(200)
                .body("id", equalTo(id)).body("status", equalTo("QUEUED")).body("model", equalTo("lasso-dct"))
                .body("spec.problem.m", equalTo(42)).body("result", nullValue()).body("attempts", equalTo(0))
                .body("createdAt", not(nullValue()));
        assertNotNull(id);
    }

    @Test
    void unknownPathIsJson404() {
        TestKeys.as(TestJobs.uniqueOwner()).when().get("/api/v1/nothing-here").then().statusCode(404).contentType(ContentType.JSON)
                .body("error", equalTo("not-found"));
        TestKeys.as(TestJobs.uniqueOwner()).when().put("/api/v1/jobs").then().statusCode(405).contentType(ContentType.JSON)
                .body("message", not(nullValue()));
        TestKeys.as(TestJobs.uniqueOwner()).when().get("/api/v1/jobs/not-a-uuid").then().statusCode(400).body("error", equalTo("invalid-id"))
                .body("message", endsWith("got 'not-a-uuid'"));
    }
}
