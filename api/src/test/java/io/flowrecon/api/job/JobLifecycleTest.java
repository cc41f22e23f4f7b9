package io.flowrecon.api.job;

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
import java.util.Base64;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

@QuarkusTest
@QuarkusTestResource(InfrastructureResource.class)
class JobLifecycleTest {

    @Inject
    DataSource dataSource;

    private static String submit(String owner, Object body) {
        return TestKeys.as(owner).contentType(ContentType.JSON).body(body.toString())
                .when().post("/api/v1/jobs").then().statusCode(202).extract().path("id");
    }

    @Test
    void cancelQueuedJobThenCancelAgainIsConflict() {
        String owner = TestJobs.uniqueOwner();
        String id = submit(owner, TestJobs.lassoJob(10));
        TestKeys.as(owner).when().delete("/api/v1/jobs/" + id)
                .then().statusCode(200).body("status", equalTo("CANCELLED"));
        TestKeys.as(owner).when().get("/api/v1/jobs/" + id)
                .then().statusCode(200).body("status", equalTo("CANCELLED"));
        TestKeys.as(owner).when().delete("/api/v1/jobs/" + id)
                .then().statusCode(409).body("error", equalTo("conflict"))
                .body("message", containsString("already CANCELLED"));
    }

    @Test
    void cancelOfSomeoneElsesOrUnknownJobIs404() {
        String id = submit(TestJobs.uniqueOwner(), TestJobs.lassoJob(10));
        TestKeys.as(TestJobs.uniqueOwner()).when().delete("/api/v1/jobs/" + id).then().statusCode(404);
        TestKeys.as(TestJobs.uniqueOwner()).when().delete("/api/v1/jobs/" + UUID.randomUUID()).then().statusCode(404);
    }

    @Test
    void imagesBeforeAResult() {
        String owner = TestJobs.uniqueOwner();
        String id = submit(owner, TestJobs.lassoJob(10));
        TestKeys.as(owner).queryParam("kind", "reconstruction").when().get("/api/v1/jobs/" + id + "/image")
                .then().statusCode(404).contentType(ContentType.JSON).body("error", equalTo("image-not-available"))
                .body("message", containsString("no reconstruction yet (status QUEUED)"));
        TestKeys.as(owner).queryParam("kind", "measurement").when().get("/api/v1/jobs/" + id + "/image")
                .then().statusCode(404).body("message", containsString("are a vector, not an image"));
        byte[] truth = TestKeys.as(owner).queryParam("kind", "truth")
                .when().get("/api/v1/jobs/" + id + "/image")
                .then().statusCode(200).contentType("image/png").extract().asByteArray();
        String sent = TestJobs.lassoJob(10).get("truth").get("png").asText();
        assertArrayEquals(Base64.getDecoder().decode(sent), truth);
        TestKeys.as(owner).when().get("/api/v1/jobs/" + id).then().statusCode(200)
                .body("images", contains("truth"));
        TestKeys.as(owner).queryParam("kind", "latent").when().get("/api/v1/jobs/" + id + "/image")
                .then().statusCode(400).body("error", equalTo("invalid-query")).body("message", containsString("kind must be one of"));
    }

    @Test
    void resultAndProgressAppearOnceWritten() throws Exception {
        String owner = TestJobs.uniqueOwner();
        String id = submit(owner, TestJobs.lassoJob(10));
        TestKeys.as(owner).when().get("/api/v1/jobs/" + id + "/progress")
                .then().statusCode(200).body("items", hasSize(0)).body("status", equalTo("QUEUED"));

        byte[] reconstruction = Base64.getDecoder().decode(TestJobs.pngBase64(1, 16, 16));
        try (Connection c = dataSource.getConnection()) {
            // What a worker writes (the worker owns this path; the API only reads it).
            try (PreparedStatement s = c.prepareStatement("""
                    insert into job_progress (job_id, iteration, loss, psnr, elapsed_millis) values (?, 1, 2.5, 20.0, 10),
                        (?, 2, 1.5, null, 20)""")) {
                s.setObject(1, UUID.fromString(id));
                s.setObject(2, UUID.fromString(id));
                s.executeUpdate();
            }
            try (PreparedStatement s = c.prepareStatement("""
                    insert into results (job_id, reconstruction_png, psnr, ssim, residual_norm, latent_norm, iterations,
                        evaluations, wall_millis, worker_id, execution_provider, model_sha256, stop_reason, provenance)
                    values (?, ?, 31.5, 0.9, 0.1, null, 500, 501, 1234, 'w1', 'cpu', 'abc', 'max-iterations',
                        '{"seed": 7}'::jsonb)""")) {
                s.setObject(1, UUID.fromString(id));
                s.setBytes(2, reconstruction);
                s.executeUpdate();
            }
            try (PreparedStatement s = c.prepareStatement("update jobs set status = 'SUCCEEDED', finished_at = now() where id = ?")) {
                s.setObject(1, UUID.fromString(id));
                s.executeUpdate();
            }
        }
        TestKeys.as(owner).when().get("/api/v1/jobs/" + id).then().statusCode(200)
                .body("status", equalTo("SUCCEEDED"))
                .body("result.psnr", equalTo(31.5f)).body("result.ssim", equalTo(0.9f))
                .body("result.iterations", equalTo(500)).body("result.evaluations", equalTo(501))
                .body("result.wallMillis", equalTo(1234)).body("result.workerId", equalTo("w1"))
                .body("result.executionProvider", equalTo("cpu")).body("result.modelSha256", equalTo("abc"))
                .body("result.stopReason", equalTo("max-iterations")).body("result.provenance.seed", equalTo(7))
                .body("result.latentNorm", equalTo(null)).body("images", contains("truth", "reconstruction"));
        TestKeys.as(owner).when().get("/api/v1/jobs/" + id + "/progress").then().statusCode(200)
                .body("items", hasSize(2)).body("items[0].loss", equalTo(2.5f)).body("items[1].psnr", equalTo(null));
        byte[] served = TestKeys.as(owner).when().get("/api/v1/jobs/" + id + "/image")
                .then().statusCode(200).contentType("image/png").extract().asByteArray();
        assertArrayEquals(reconstruction, served);
        TestKeys.as(owner).when().delete("/api/v1/jobs/" + id)
                .then().statusCode(409).body("message", containsString("already SUCCEEDED"));
    }
}
