package io.flowrecon.api.auth;

import io.flowrecon.api.support.InfrastructureResource;
import io.flowrecon.api.support.TestJobs;
import io.flowrecon.api.support.TestKeys;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

@QuarkusTest
@QuarkusTestResource(InfrastructureResource.class)
class ApiKeyAuthTest {

    @Inject
    DataSource dataSource;

    private static String submit(String owner) {
        return TestKeys.as(owner).contentType(ContentType.JSON).body(TestJobs.lassoJob(10).toString())
                .when().post("/api/v1/jobs").then().statusCode(202).extract().path("id");
    }

    @Test
    void noKeyIs401SayingHowToGetOne() {
        for (String path : new String[] {"/api/v1/jobs", "/api/v1/experiments", "/api/v1/image-sets", "/api/v1/models"}) {
            given().get(path).then().statusCode(401).contentType(ContentType.JSON)
                    .header("WWW-Authenticate", containsString("Bearer"))
                    .body("error", equalTo("unauthenticated"))
                    .body("message", containsString("Authorization: Bearer"))
                    .body("message", containsString("./flowrecon keys create --owner NAME"));
        }
        given().contentType(ContentType.JSON).body(TestJobs.lassoJob(10).toString()).post("/api/v1/jobs")
                .then().statusCode(401);
    }

    @Test
    void anOwnerHeaderAloneIsNotAnIdentity() {
        given().header("X-Flowrecon-Owner", "alice").get("/api/v1/jobs").then().statusCode(401);
    }

    @Test
    void wrongKeysAndTokensAre401() {
        String unknownKey = "fr_" + "A".repeat(43);
        for (String header : new String[] {"Bearer " + unknownKey, "Bearer fr_short", "Bearer not-a-token",
                "Basic YWxpY2U6c2VjcmV0"}) {
            given().header("Authorization", header).get("/api/v1/jobs").then().statusCode(401)
                    .contentType(ContentType.JSON).body("message", containsString("./flowrecon keys create"));
        }
        TestKeys.withKey(unknownKey).get("/api/v1/jobs").then().body("error", equalTo("invalid-credentials"));
    }

    @Test
    void aRevokedKeyStopsWorkingAtOnce() {
        String owner = TestJobs.uniqueOwner();
        String key = TestKeys.create(owner, false);
        TestKeys.withKey(key).get("/api/v1/jobs").then().statusCode(200);
        TestKeys.revokeAll(owner);
        TestKeys.withKey(key).get("/api/v1/jobs").then().statusCode(401).body("error", equalTo("invalid-credentials"));
    }

    @Test
    void theBearerSchemeIsCaseInsensitive() {
        String owner = TestJobs.uniqueOwner();
        given().header("Authorization", "bearer " + TestKeys.keyFor(owner)).get("/api/v1/jobs").then().statusCode(200);
    }

    @Test
    void keysAreStoredOnlyAsTheirHash() throws Exception {
        String owner = TestJobs.uniqueOwner();
        String key = TestKeys.create(owner, false);
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement(
                     "select key_sha256, key_prefix from api_keys where owner = ?")) {
            select.setString(1, owner);
            try (ResultSet r = select.executeQuery()) {
                r.next();
                assertEquals(io.flowrecon.shared.auth.ApiKeys.sha256Hex(key), r.getString(1));
                assertEquals(key.substring(0, 9), r.getString(2));
                assertFalse(r.getString(1).contains(key.substring(3)));
            }
        }
    }

    @Test
    void anotherOwnersJobIs404ForEveryCall() {
        String alice = TestJobs.uniqueOwner();
        String bob = TestJobs.uniqueOwner();
        String id = submit(alice);
        TestKeys.as(bob).get("/api/v1/jobs/" + id).then().statusCode(404).body("error", equalTo("not-found"));
        TestKeys.as(bob).get("/api/v1/jobs/" + id + "/progress").then().statusCode(404);
        TestKeys.as(bob).queryParam("kind", "truth").get("/api/v1/jobs/" + id + "/image").then().statusCode(404);
        TestKeys.as(bob).delete("/api/v1/jobs/" + id).then().statusCode(404);
        TestKeys.as(bob).get("/api/v1/jobs").then().statusCode(200).body("items.id", not(hasItem(id)));
        TestKeys.as(alice).get("/api/v1/jobs/" + id).then().statusCode(200).body("owner", equalTo(alice))
                .body("status", equalTo("QUEUED"));
    }

    @Test
    void adminsListAnotherOwnersHistoryAndOthersMayNot() {
        String alice = TestJobs.uniqueOwner();
        String id = submit(alice);
        String admin = TestKeys.create(TestJobs.uniqueOwner(), true);
        TestKeys.withKey(admin).queryParam("owner", alice).get("/api/v1/jobs").then().statusCode(200)
                .body("items.id", hasItem(id));
        TestKeys.withKey(admin).queryParam("owner", alice).get("/api/v1/experiments").then().statusCode(200);
        TestKeys.withKey(admin).get("/api/v1/jobs").then().statusCode(200).body("items.id", not(hasItem(id)));
        TestKeys.withKey(admin).queryParam("owner", " alice").get("/api/v1/jobs").then().statusCode(400)
                .body("message", containsString("owner"));
        TestKeys.as(TestJobs.uniqueOwner()).queryParam("owner", alice).get("/api/v1/jobs").then().statusCode(403)
                .body("error", equalTo("forbidden")).body("message", containsString("admin"));
        TestKeys.as(alice).queryParam("owner", alice).get("/api/v1/jobs").then().statusCode(200)
                .body("items.id", hasItem(id));
    }

    @Test
    void healthMetricsAndOpenApiStayOpen() {
        given().get("/q/health/ready").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200);
        given().get("/q/openapi").then().statusCode(200);
    }
}
