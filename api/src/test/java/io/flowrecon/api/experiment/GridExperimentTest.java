package io.flowrecon.api.experiment;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flowrecon.api.experiment.summary.ExperimentCsvTest;
import io.flowrecon.api.experiment.summary.ImageGrid;
import io.flowrecon.api.support.TestKeys;
import io.flowrecon.api.support.InfrastructureResource;
import io.flowrecon.api.support.TestJobs;
import io.flowrecon.shared.image.Image;
import io.flowrecon.shared.image.Png;
import io.flowrecon.shared.job.ImageShape;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import javax.sql.DataSource;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@QuarkusTestResource(InfrastructureResource.class)
class GridExperimentTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    DataSource dataSource;

    private static String imageSet(String owner, int count) {
        ObjectNode body = JSON.createObjectNode().put("name", "faces-" + UUID.randomUUID().toString().substring(0, 8));
        ArrayNode images = body.putArray("images");
        for (int i = 0; i < count; i++) {
            float[] values = new float[16 * 16];
            for (int k = 0; k < values.length; k++) {
                values[k] = ((k * 7 + i * 31) % 23) / 22f; // a different image per index
            }
            images.add(Base64.getEncoder().encodeToString(Png.encode(new Image(new ImageShape(1, 16, 16), values))));
        }
        return TestKeys.as(owner).contentType(ContentType.JSON).body(body.toString())
                .post("/api/v1/image-sets").then().statusCode(201).extract().jsonPath().getString("id");
    }

    private static ObjectNode grid(String set, double... ratios) {
        ObjectNode body = JSON.createObjectNode().put("name", "cs grid");
        body.putObject("images").put("imageSet", set);
        body.putArray("models").add("lasso-dct");
        ObjectNode cs = body.putArray("problems").addObject().put("kind", "compressive-sensing");
        ArrayNode ratio = cs.putArray("ratio");
        for (double r : ratios) {
            ratio.add(r);
        }
        body.putObject("seeds").putArray("operator").add(1).add(2);
        return body;
    }

    private void finish(UUID job, double psnr, double ssim, long wallMillis) throws Exception {
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement s = c.prepareStatement("""
                    insert into results (job_id, reconstruction_png, psnr, ssim, residual_norm, iterations, evaluations,
                        wall_millis, worker_id, execution_provider, model_sha256, provenance)
                    values (?, ?, ?, ?, 0.5, 10, 11, ?, 'w1', 'cpu', 'abc', '{"seeds": [1, 2]}'::jsonb)""")) {
                s.setObject(1, job);
                s.setBytes(2, Png.encode(Image.zeros(new ImageShape(1, 16, 16))));
                s.setDouble(3, psnr);
                s.setDouble(4, ssim);
                s.setLong(5, wallMillis);
                s.executeUpdate();
            }
            try (PreparedStatement s = c.prepareStatement("update jobs set status = 'SUCCEEDED' where id = ?")) {
                s.setObject(1, job);
                s.executeUpdate();
            }
        }
    }

    private String imageSetOf(String experiment) throws Exception {
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("select image_set_id from experiments where id = ?")) {
            s.setObject(1, UUID.fromString(experiment));
            try (var rows = s.executeQuery()) {
                rows.next();
                return rows.getString(1);
            }
        }
    }

    @Test
    void aGridOverAnImageSetExpandsSummarisesPlotsAndCancels() throws Exception {
        String owner = TestJobs.uniqueOwner();
        String set = imageSet(owner, 3);
        JsonPath created = TestKeys.as(owner).contentType(ContentType.JSON)
                .body(grid(set, 0.25, 0.5).toString()).post("/api/v1/experiments").then().statusCode(202)
                .body("count", equalTo(12)).body("estimatedSeconds", greaterThan(0f)).extract().jsonPath();
        String id = created.getString("id");
        List<String> jobs = created.getList("jobs");

        // Images outermost: jobs 0..3 are image 0 (ratio 0.25 seeds 1, 2; ratio 0.5 seeds 1, 2).
        TestKeys.as(owner).get("/api/v1/jobs/" + jobs.get(0)).then().statusCode(200)
                .body("spec.problem.m", equalTo(64)).body("spec.problem.seed", equalTo(1));
        double[] psnr = {20, 22, 30, 31, 24, 26};
        int[] finished = {0, 1, 2, 3, 4, 5};
        for (int k = 0; k < finished.length; k++) {
            finish(UUID.fromString(jobs.get(finished[k])), psnr[k], 0.5 + k / 100.0, 1000L * (k + 1));
        }

        JsonPath summary = TestKeys.as(owner).get("/api/v1/experiments/" + id).then()
                .statusCode(200).body("progress.total", equalTo(12)).body("progress.succeeded", equalTo(6))
                .body("progress.queued", equalTo(6)).body("cells", hasSize(2))
                .body("cells[0].axes.ratio", equalTo(0.25f)).body("cells[0].axes.m", equalTo(64))
                .extract().jsonPath();
        // ratio 0.25: jobs 0, 1 (image 0) and 4, 5 (image 1): PSNR 20, 22, 24, 26 -> mean 23.
        assertEquals(23.0, summary.getDouble("cells[0].psnr.mean"), 1e-9);
        assertEquals(4, summary.getInt("cells[0].psnr.n"));
        assertEquals(30.5, summary.getDouble("cells[1].psnr.mean"), 1e-9);
        assertTrue(summary.getDouble("progress.etaSeconds") > 0);

        String csv = TestKeys.as(owner).get("/api/v1/experiments/" + id + "?format=csv").then()
                .statusCode(200).contentType(containsString("text/csv")).extract().asString();
        List<List<String>> cells = ExperimentCsvTest.parse(csv);
        assertEquals(3, cells.size());
        // Sample std of 20, 22, 24, 26 by hand; the CSV keeps full precision (RestAssured reads JSON as float).
        assertEquals(Math.sqrt(20.0 / 3.0), Double.parseDouble(cells.get(1).get(cells.get(0).indexOf("psnr_std"))), 1e-12);
        assertEquals(Math.sqrt(20.0 / 3.0), summary.getDouble("cells[0].psnr.std"), 1e-6);

        String jobsCsv = TestKeys.as(owner).get("/api/v1/experiments/" + id + "/jobs.csv").then()
                .statusCode(200).extract().asString();
        List<List<String>> rows = ExperimentCsvTest.parse(jobsCsv);
        assertEquals(13, rows.size());
        List<String> header = rows.get(0);
        assertEquals(List.of("job", "model", "problem", "m", "ratio", "operator", "noise", "noiseNorm"),
                header.subList(0, 8), "axes in reading order, not jsonb's");
        assertEquals(jobs.get(0), rows.get(1).get(0));
        assertEquals("20.0", rows.get(1).get(header.indexOf("psnr")));
        assertEquals("0", rows.get(1).get(header.indexOf("image")));
        assertEquals("abc", rows.get(1).get(header.indexOf("model_sha256")));

        byte[] png = TestKeys.as(owner)
                .get("/api/v1/experiments/" + id + "/plot.png?x=ratio&metric=psnr&width=500&height=300")
                .then().statusCode(200).contentType("image/png").extract().asByteArray();
        BufferedImage plot = ImageIO.read(new ByteArrayInputStream(png));
        assertNotNull(plot);
        assertEquals(500, plot.getWidth());
        assertEquals(300, plot.getHeight());
        TestKeys.as(owner).get("/api/v1/experiments/" + id + "/plot.svg?x=m&metric=ssim&scale=log")
                .then().statusCode(200).body(containsString("<svg"));
        TestKeys.as(owner).get("/api/v1/experiments/" + id + "/plot.png?x=model").then()
                .statusCode(400).body("message", containsString("m, ratio"));
        TestKeys.as(owner).get("/api/v1/experiments/" + id + "/plot.png?colour=red").then()
                .statusCode(400).body("message", containsString("not an axis"));

        byte[] gridPng = TestKeys.as(owner)
                .get("/api/v1/experiments/" + id + "/grid.png?ratio=0.25&images=2").then().statusCode(200)
                .contentType("image/png").extract().asByteArray();
        BufferedImage grid = ImageIO.read(new ByteArrayInputStream(gridPng));
        int[] size = ImageGrid.size(3, 2);
        assertEquals(size[0], grid.getWidth(), "truth, measurements, lasso-dct");
        assertEquals(size[1], grid.getHeight(), "two images");
        byte[] truth = TestKeys.as(owner).get("/api/v1/image-sets/" + imageSetOf(id) + "/images/0")
                .then().statusCode(200).extract().asByteArray();
        int level = Math.round(Png.decode(truth).get(0, 0, 0) * 255f);
        assertEquals(level, grid.getRGB(ImageGrid.LABEL + ImageGrid.GAP, ImageGrid.HEADER) & 0xff,
                "the truth tile's top-left pixel is the image's");
        assertEquals(0, grid.getRGB(ImageGrid.LABEL + 3 * ImageGrid.GAP + 2 * ImageGrid.TILE + 5, ImageGrid.HEADER + 5) & 0xff,
                "the reconstruction tile shows the (black) reconstruction");
        TestKeys.as(owner).get("/api/v1/experiments/" + id + "/grid.png").then().statusCode(400)
                .body("message", containsString("choose one cell per model"));

        TestKeys.as(owner).get("/api/v1/experiments").then().statusCode(200)
                .body("experiments[0].id", equalTo(id)).body("experiments[0].done", equalTo(6));
        TestKeys.as(TestJobs.uniqueOwner()).get("/api/v1/experiments/" + id).then().statusCode(404);
        TestKeys.as(TestJobs.uniqueOwner()).delete("/api/v1/experiments/" + id).then().statusCode(404);

        TestKeys.as(owner).delete("/api/v1/experiments/" + id).then().statusCode(200)
                .body("cancelledJobs", equalTo(6));
        TestKeys.as(owner).get("/api/v1/experiments/" + id).then()
                .body("counts.CANCELLED", equalTo(6)).body("counts.SUCCEEDED", equalTo(6))
                .body("cancelledAt", containsString("T"));
    }

    @Test
    void resubmittingAnExperimentReusesEveryFinishedResultAndQueuesOnlyTheRest() throws Exception {
        String owner = TestJobs.uniqueOwner();
        String set = imageSet(owner, 2);
        String body = grid(set, 0.25).toString();
        JsonPath first = TestKeys.as(owner).contentType(ContentType.JSON).body(body)
                .post("/api/v1/experiments").then().statusCode(202).body("count", equalTo(4)).body("reused", equalTo(0))
                .extract().jsonPath();
        List<String> jobs = first.getList("jobs");
        finish(UUID.fromString(jobs.get(0)), 21, 0.6, 1500);
        finish(UUID.fromString(jobs.get(1)), 22, 0.7, 1500);

        JsonPath second = TestKeys.as(owner).contentType(ContentType.JSON).body(body)
                .post("/api/v1/experiments").then().statusCode(202).body("count", equalTo(4)).body("reused", equalTo(2))
                .extract().jsonPath();
        List<String> again = second.getList("jobs");
        TestKeys.as(owner).get("/api/v1/jobs/" + again.get(0)).then().statusCode(200)
                .body("status", equalTo("SUCCEEDED")).body("result.psnr", equalTo(21.0f))
                .body("result.provenance.reusedFrom", equalTo(jobs.get(0)));
        TestKeys.as(owner).get("/api/v1/jobs/" + again.get(2)).then().body("status", equalTo("QUEUED"));
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("select count(*) from outbox where message_key = any(?)")) {
            s.setArray(1, c.createArrayOf("text", again.toArray()));
            try (var rows = s.executeQuery()) {
                rows.next();
                assertEquals(2, rows.getInt(1), "only the jobs without an earlier result are published");
            }
        }
        // Another owner's identical experiment (same images, same grid) reuses nothing of the first owner's.
        String other = TestJobs.uniqueOwner();
        String otherSet = imageSet(other, 2);
        TestKeys.as(other).contentType(ContentType.JSON).body(grid(otherSet, 0.25).toString())
                .post("/api/v1/experiments").then().statusCode(202).body("reused", equalTo(0));
    }

    @Test
    void anOversizedGridIsRefusedWithItsSizeAndTheLimitBeforeAnythingIsBuilt() {
        String owner = TestJobs.uniqueOwner();
        String set = imageSet(owner, 2);
        ObjectNode body = grid(set, 0.5);
        ArrayNode seeds = ((ObjectNode) body.get("seeds")).putArray("operator");
        for (int seed = 0; seed < 20_001; seed++) {
            seeds.add(seed);
        }
        TestKeys.as(owner).contentType(ContentType.JSON).body(body.toString())
                .post("/api/v1/experiments").then().statusCode(400)
                .body("violations[0].rule", containsString("expands to 40002 jobs"))
                .body("violations[0].rule", containsString("at most 20000"));
    }

    @Test
    void everyBadAxisOrPointIsNamedAndNothingIsCreated() {
        String owner = TestJobs.uniqueOwner();
        String set = imageSet(owner, 2);
        ObjectNode body = grid(set, 0.5);
        ((ArrayNode) body.get("models")).add("no-such-model");
        ((ObjectNode) body.get("images")).putArray("indices").add(0).add(5);
        TestKeys.as(owner).contentType(ContentType.JSON).body(body.toString())
                .post("/api/v1/experiments").then().statusCode(400)
                .body("violations.field", hasItem("images.indices[1]"));
        ((ObjectNode) body.get("images")).remove("indices");
        TestKeys.as(owner).contentType(ContentType.JSON).body(body.toString())
                .post("/api/v1/experiments").then().statusCode(400)
                .body("violations[0].field", equalTo("model"))
                .body("violations[0].rule", containsString("grid point"));
        TestKeys.as(TestJobs.uniqueOwner()).contentType(ContentType.JSON).body(grid(set, 0.5).toString())
                .post("/api/v1/experiments").then().statusCode(400)
                .body("violations[0].field", equalTo("images.imageSet"));
        TestKeys.as(owner).get("/api/v1/experiments").then().body("experiments", hasSize(0));
    }
}
