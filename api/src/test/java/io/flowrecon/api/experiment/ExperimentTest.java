package io.flowrecon.api.experiment;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flowrecon.api.support.TestKeys;
import io.flowrecon.api.support.InfrastructureResource;
import io.flowrecon.api.support.TestJobs;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

@QuarkusTest
@QuarkusTestResource(InfrastructureResource.class)
class ExperimentTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    DataSource dataSource;

    private static ObjectNode sweepBody(int... ms) {
        ObjectNode body = JSON.createObjectNode();
        body.put("name", "lasso m sweep");
        body.set("base", TestJobs.lassoJob(10));
        ObjectNode sweep = body.putObject("sweep");
        var m = sweep.putArray("m");
        for (int value : ms) {
            m.add(value);
        }
        var noise = sweep.putArray("noise");
        noise.addObject().put("kind", "none");
        noise.addObject().put("kind", "gaussian-norm").put("norm", 0.1).put("seed", 1);
        return body;
    }

    private void writeResult(UUID job, double psnr) throws Exception {
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("""
                     insert into results (job_id, reconstruction_png, psnr, residual_norm, iterations, evaluations,
                         wall_millis, worker_id, execution_provider, model_sha256, provenance)
                     values (?, '\\x00'::bytea, ?, 0, 1, 1, 1, 'w', 'cpu', 'h', '{}'::jsonb)""")) {
            s.setObject(1, job);
            s.setDouble(2, psnr);
            s.executeUpdate();
        }
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("update jobs set status = 'SUCCEEDED' where id = ?")) {
            s.setObject(1, job);
            s.executeUpdate();
        }
    }

    @Test
    void sweepCreatesOneJobPerPointAndSummarisesThem() throws Exception {
        String owner = TestJobs.uniqueOwner();
        JsonPath created = TestKeys.as(owner).contentType(ContentType.JSON)
                .body(sweepBody(10, 20).toString()).when().post("/api/v1/experiments")
                .then().statusCode(202).body("count", equalTo(4)).body("jobs", hasSize(4)).extract().jsonPath();
        String id = created.getString("id");
        List<String> jobs = created.getList("jobs");

        TestKeys.as(owner).when().get("/api/v1/jobs?experiment=" + id)
                .then().statusCode(200).body("items", hasSize(4));
        TestKeys.as(owner).when().get("/api/v1/jobs/" + jobs.get(0))
                .then().statusCode(200).body("experiment", equalTo(id));

        // Order of creation: m=10 (none, norm), m=20 (none, norm).
        writeResult(UUID.fromString(jobs.get(0)), 20.0);
        writeResult(UUID.fromString(jobs.get(1)), 30.0);

        TestKeys.as(owner).when().get("/api/v1/experiments/" + id).then().statusCode(200)
                .body("name", equalTo("lasso m sweep")).body("progress.total", equalTo(4))
                .body("counts.QUEUED", equalTo(2)).body("counts.SUCCEEDED", equalTo(2))
                .body("progress.done", equalTo(2))
                // The older sweep form's cells: model, problem, m and noise read back from each job's spec.
                .body("cells", hasSize(4))
                .body("cells[0].axes.model", equalTo("lasso-dct")).body("cells[0].axes.m", equalTo(10))
                .body("cells[0].axes.noise", equalTo("none"))
                .body("cells[0].succeeded", equalTo(1)).body("cells[0].psnr.mean", equalTo(20.0f))
                .body("cells[1].axes.noise", equalTo("gaussian-norm")).body("cells[1].psnr.mean", equalTo(30.0f))
                .body("cells[2].axes.m", equalTo(20)).body("cells[2].psnr.mean", nullValue())
                .body("spec.base.truth", nullValue());

        TestKeys.as(TestJobs.uniqueOwner()).when().get("/api/v1/experiments/" + id).then().statusCode(404);
    }

    @Test
    void aBadSweepPointRejectsTheWholeExperiment() throws Exception {
        String owner = TestJobs.uniqueOwner();
        TestKeys.as(owner).contentType(ContentType.JSON).body(sweepBody(10, 0).toString())
                .when().post("/api/v1/experiments").then().statusCode(400)
                .body("error", equalTo("invalid-spec"))
                .body("violations.field", hasItem("base.problem.m"))
                .body("violations[0].rule", containsString("(sweep point m=0"));
        TestKeys.as(owner).when().get("/api/v1/jobs").then().statusCode(200).body("items", hasSize(0));
    }

    @Test
    void experimentBodyRules() {
        TestKeys.as(TestJobs.uniqueOwner()).contentType(ContentType.JSON).body("{\"sweep\": {\"m\": [], \"seeds\": [1]}}")
                .when().post("/api/v1/experiments").then().statusCode(400)
                .body("violations.field", hasItem("base"))
                .body("violations.field", hasItem("sweep.m"))
                .body("violations.field", hasItem("sweep.seeds"));
        TestKeys.as(TestJobs.uniqueOwner()).when().get("/api/v1/experiments/nope").then().statusCode(400).body("error", equalTo("invalid-id"));
        TestKeys.as(TestJobs.uniqueOwner()).when().get("/api/v1/experiments/" + UUID.randomUUID()).then().statusCode(404);
    }
}
