package io.flowrecon.api.job;

import io.flowrecon.api.support.TestKeys;
import io.flowrecon.api.support.InfrastructureResource;
import io.flowrecon.api.support.TestJobs;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

@QuarkusTest
@QuarkusTestResource(InfrastructureResource.class)
class JobHistoryTest {

    private static String submit(String owner, Object body) {
        return TestKeys.as(owner).contentType(ContentType.JSON).body(body.toString())
                .when().post("/api/v1/jobs").then().statusCode(202).extract().path("id");
    }

    private static JsonPath page(String owner, String query) {
        return TestKeys.as(owner).when().get("/api/v1/jobs" + query)
                .then().statusCode(200).extract().jsonPath();
    }

    @Test
    void pagesWalkAllJobsNewestFirstWithoutGapsOrRepeats() {
        String owner = TestJobs.uniqueOwner();
        List<String> submitted = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            submitted.add(submit(owner, TestJobs.lassoJob(10 + i)));
        }
        submit(TestJobs.uniqueOwner(), TestJobs.lassoJob(10)); // someone else's: never listed

        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonPath page = page(owner, "?limit=2" + (cursor == null ? "" : "&cursor=" + cursor));
            seen.addAll(page.getList("items.id"));
            cursor = page.getString("nextCursor");
            pages++;
        } while (cursor != null);
        assertEquals(3, pages);
        List<String> newestFirst = new ArrayList<>(submitted);
        Collections.reverse(newestFirst);
        assertEquals(newestFirst, seen);
    }

    @Test
    void filtersByStatusModelAndSince() {
        String owner = TestJobs.uniqueOwner();
        String lasso = submit(owner, TestJobs.lassoJob(10));
        String glow = submit(owner, TestJobs.glowDenoisingJob(32));
        TestKeys.as(owner).when().delete("/api/v1/jobs/" + lasso).then().statusCode(200);

        assertEquals(List.of(lasso), page(owner, "?status=cancelled").getList("items.id"));
        assertEquals(List.of(glow), page(owner, "?status=QUEUED").getList("items.id"));
        assertEquals(List.of(glow), page(owner, "?model=" + InfrastructureResource.TEST_MODEL).getList("items.id"));
        assertEquals(List.of(), page(owner, "?since=" + Instant.now().plusSeconds(3600)).getList("items.id"));
        assertEquals(2, page(owner, "?since=2020-01-01T00:00:00Z").getList("items.id").size());
        JsonPath all = page(owner, "");
        assertNull(all.getString("nextCursor"));
        assertEquals("denoising", all.getString("items[0].problemKind"));
    }

    @Test
    void experimentFilterOnUnknownExperimentIsEmpty() {
        String owner = TestJobs.uniqueOwner();
        submit(owner, TestJobs.lassoJob(10));
        TestKeys.as(owner).when().get("/api/v1/jobs?experiment=3f2c0d9e-1b7a-4c8e-9f00-0123456789ab")
                .then().statusCode(200).body("items", hasSize(0)).body("nextCursor", nullValue());
    }

    @Test
    void badQueryValuesAre400NamingTheParameter() {
        for (String query : List.of("?limit=0", "?limit=201", "?limit=ten")) {
            TestKeys.as(TestJobs.uniqueOwner()).when().get("/api/v1/jobs" + query).then().statusCode(400).contentType(ContentType.JSON)
                    .body("error", equalTo("invalid-query")).body("message", containsString("limit must be an integer between 1 and 200"));
        }
        TestKeys.as(TestJobs.uniqueOwner()).when().get("/api/v1/jobs?status=DONE").then().statusCode(400).body("message", containsString("status must be one of"));
        TestKeys.as(TestJobs.uniqueOwner()).when().get("/api/v1/jobs?since=yesterday").then().statusCode(400).body("message", containsString("since must be an ISO-8601"));
        TestKeys.as(TestJobs.uniqueOwner()).when().get("/api/v1/jobs?experiment=x").then().statusCode(400).body("message", containsString("experiment must be"));
        TestKeys.as(TestJobs.uniqueOwner()).when().get("/api/v1/jobs?cursor=garbage").then().statusCode(400).body("message", containsString("cursor is not one"));
    }
}
