package io.flowrecon.api.limits;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flowrecon.api.support.InfrastructureResource;
import io.flowrecon.api.support.TestJobs;
import io.flowrecon.api.support.TestKeys;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Per-owner quotas with small limits: {@value #QUEUED} queued jobs, {@value #EXPERIMENT} jobs per experiment. */
@QuarkusTest
@TestProfile(QuotaTest.SmallQuotas.class)
@QuarkusTestResource(InfrastructureResource.class)
class QuotaTest {

    static final int QUEUED = 5;
    static final int EXPERIMENT = 4;

    public static class SmallQuotas implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("flowrecon.quotas.max-queued-jobs", Integer.toString(QUEUED),
                    "flowrecon.quotas.max-experiment-jobs", Integer.toString(EXPERIMENT),
                    "flowrecon.quotas.retry-after-seconds", "42");
        }
    }

    private static Response submit(String owner) {
        return TestKeys.as(owner).contentType(ContentType.JSON).body(TestJobs.lassoJob(10).toString())
                .when().post("/api/v1/jobs");
    }

    /** The older experiment form: one job per value of m. */
    private static Response sweep(String owner, int jobs) {
        ObjectNode body = JsonNodeFactory.instance.objectNode().put("name", "sweep");
        body.set("base", TestJobs.lassoJob(10));
        var ms = body.putObject("sweep").putArray("m");
        for (int i = 0; i < jobs; i++) {
            ms.add(10 + i);
        }
        return TestKeys.as(owner).contentType(ContentType.JSON).body(body.toString()).when().post("/api/v1/experiments");
    }

    @Test
    void aJobBeyondTheQueuedQuotaIs429UntilOneLeavesTheQueue() {
        String owner = TestJobs.uniqueOwner();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < QUEUED; i++) {
            ids.add(submit(owner).then().statusCode(202).extract().path("id"));
        }
        submit(owner).then().statusCode(429).header("Retry-After", "42").contentType(ContentType.JSON)
                .body("error", equalTo("quota-exceeded")).body("limit", equalTo("queued-jobs"))
                .body("allowed", equalTo(QUEUED)).body("current", equalTo(QUEUED)).body("requested", equalTo(1))
                .body("message", containsString("flowrecon.quotas.max-queued-jobs"));
        TestKeys.as(owner).get("/api/v1/jobs").then().statusCode(200).body("items", hasSize(QUEUED));
        submit(TestJobs.uniqueOwner()).then().statusCode(202);

        TestKeys.as(owner).delete("/api/v1/jobs/" + ids.get(0)).then().statusCode(200);
        submit(owner).then().statusCode(202);
    }

    @Test
    void concurrentSubmissionsOfOneOwnerNeverPassTheQuota() throws Exception {
        String owner = TestJobs.uniqueOwner();
        TestKeys.keyFor(owner);
        int clients = 3 * QUEUED;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                answers.add(pool.submit((Callable<Integer>) () -> submit(owner).statusCode()));
            }
            int accepted = 0;
            int refused = 0;
            for (Future<Integer> answer : answers) {
                int status = answer.get();
                accepted += status == 202 ? 1 : 0;
                refused += status == 429 ? 1 : 0;
            }
            assertEquals(QUEUED, accepted, "accepted");
            assertEquals(clients - QUEUED, refused, "refused");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void experimentsAreHeldToTheirSizeAndToTheQueue() {
        String owner = TestJobs.uniqueOwner();
        sweep(owner, EXPERIMENT + 1).then().statusCode(429).header("Retry-After", "42")
                .body("limit", equalTo("experiment-jobs")).body("allowed", equalTo(EXPERIMENT))
                .body("requested", equalTo(EXPERIMENT + 1));
        sweep(owner, EXPERIMENT).then().statusCode(202).body("count", equalTo(EXPERIMENT));
        sweep(owner, 2).then().statusCode(429).body("limit", equalTo("queued-jobs"))
                .body("current", equalTo(EXPERIMENT)).body("requested", equalTo(2));
        TestKeys.as(owner).get("/api/v1/experiments").then().statusCode(200).body("experiments", hasSize(1));
        TestKeys.as(owner).get("/api/v1/jobs").then().statusCode(200).body("items", hasSize(EXPERIMENT));
    }
}
