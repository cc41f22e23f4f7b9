package io.flowrecon.api.model;

import io.flowrecon.api.support.InfrastructureResource;
import io.flowrecon.api.support.TestJobs;
import io.flowrecon.api.support.TestKeys;
import io.flowrecon.shared.image.Image;
import io.flowrecon.shared.image.Png;
import io.flowrecon.shared.model.Sha256;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Importing generators exported by torch.onnx.export (api/src/test/resources/imports/export_fixtures.py)
 * through POST /api/v1/models, against the real validation (ONNX Runtime) and database.
 */
@QuarkusTest
@QuarkusTestResource(InfrastructureResource.class)
class ModelImportTest {

    /** Validation of the tiny fixtures takes a few seconds; a loaded CI machine may take many times that. */
    private static final Duration VALIDATION = Duration.ofSeconds(180);

    /** Reads the registry, which every key sees whole. */
    private static final String READER = TestJobs.uniqueOwner();

    private static RequestSpecification as(String owner) {
        return TestKeys.as(owner);
    }

    static byte[] fixture(String name) throws IOException {
        try (InputStream in = ModelImportTest.class.getResourceAsStream("/imports/" + name)) {
            if (in == null) {
                throw new IOException("test resource imports/" + name + " is missing");
            }
            return in.readAllBytes();
        }
    }

    private static String uniqueId(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static Response upload(String owner, String id, String kind, String fixture, String valueRange)
            throws IOException {
        RequestSpecification request = as(owner).multiPart("generator", "generator.onnx", fixture(fixture),
                "application/octet-stream").multiPart("id", id).multiPart("kind", kind);
        if (valueRange != null) {
            request = request.multiPart("valueRange", valueRange);
        }
        return request.when().post("/api/v1/models");
    }

    /** Polls the model until it has left validating; returns its final status. */
    private static String awaitVerdict(String id) throws InterruptedException {
        long deadline = System.nanoTime() + VALIDATION.toNanos();
        while (System.nanoTime() < deadline) {
            String status = as(READER).get("/api/v1/models/" + id).then().statusCode(200).extract().path("status");
            if (!status.equals("validating")) {
                return status;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("model " + id + " still validating after " + VALIDATION.toSeconds() + " s");
    }

    @Test
    void anImportedPyTorchGlowBecomesReadyWithItsShapeReadFromTheGraphAndServesJobs() throws Exception {
        String owner = TestJobs.uniqueOwner();
        String id = uniqueId("torch-glow");
        Response imported = upload(owner, id, "glow", "tiny-glow.onnx", "0,1");
        imported.then().statusCode(202).header("Location", containsString("/api/v1/models/" + id))
                .body("owner", equalTo(owner)).body("builtin", equalTo(false))
                .body("card.imageShape", equalTo(List.of(1, 8, 8))).body("card.latentSize", equalTo(64))
                .body("card.files.'generator.onnx'", equalTo(Sha256.hex(fixture("tiny-glow.onnx"))));
        assertTrue(List.of("validating", "ready").contains(imported.jsonPath().getString("status")));

        assertEquals("ready", awaitVerdict(id), () -> as(READER).get("/api/v1/models/" + id).asString());
        as(READER).get("/api/v1/models").then().statusCode(200).body("items.id", hasItem(id))
                .body("items.find { it.id == '" + id + "' }.status", equalTo("ready"))
                .body("items.find { it.id == '" + id + "' }.hasSamples", equalTo(true));
        // the validation's 16 samples of the 1 x 8 x 8 generator: 4 x 4 tiles, 2-pixel gaps around and between
        Image grid = Png.decode(as(READER).get("/api/v1/models/" + id + "/samples.png").then().statusCode(200)
                .contentType("image/png").extract().asByteArray());
        assertEquals(1, grid.channels());
        assertEquals(4 * 8 + 5 * 2, grid.height());
        assertEquals(4 * 8 + 5 * 2, grid.width());
        float low = Float.POSITIVE_INFINITY;
        float high = Float.NEGATIVE_INFINITY;
        for (int y = 2; y < 10; y++) {
            for (int x = 2; x < 10; x++) {
                low = Math.min(low, grid.get(0, y, x));
                high = Math.max(high, grid.get(0, y, x));
            }
        }
        assertTrue(high - low > 0.05, "the first sample is an image, not a flat tile: [" + low + ", " + high + "]");

        String job = submitCompressiveSensing(owner, id).then().statusCode(202).extract().path("id");
        as(owner).delete("/api/v1/models/" + id).then().statusCode(409)
                .body("message", containsString("used by 1 queued or running job"));
        as(owner).delete("/api/v1/jobs/" + job).then().statusCode(200);
        as("someone-else").delete("/api/v1/models/" + id).then().statusCode(403);
        as(owner).delete("/api/v1/models/" + id).then().statusCode(204);
        as(READER).get("/api/v1/models/" + id).then().statusCode(404);
        as(READER).get("/api/v1/models").then().body("items.id", not(hasItem(id)));
        submitCompressiveSensing(owner, id).then().statusCode(400).body(containsString("unknown model"));
    }

    private static Response submitCompressiveSensing(String owner, String model) {
        String body = """
                {"model": "%s",
                 "problem": {"kind": "compressive-sensing", "m": 32, "operator": "gaussian", "seed": 7,
                             "noise": {"kind": "gaussian-norm", "norm": 0.01, "seed": 8}},
                 "truth": {"png": "%s"}}""".formatted(model, TestJobs.pngBase64(1, 8, 8));
        return as(owner).contentType(ContentType.JSON).body(body).post("/api/v1/jobs");
    }

    @Test
    void aGraphWithAnUnsupportedOperatorIsRejectedNamingItAndJobsOnItAreRefused() throws Exception {
        String owner = TestJobs.uniqueOwner();
        String id = uniqueId("contrib-op");
        upload(owner, id, "dcgan", "contrib-op-dcgan.onnx", "-1,1").then().statusCode(202)
                .body("status", equalTo("rejected"))
                .body("reason", containsString("com.microsoft.Gelu (first at node '"))
                .body("reason", containsString("supported operators: "));
        as(READER).get("/api/v1/models/" + id).then().statusCode(200).body("status", equalTo("rejected"))
                .body("reason", containsString("Gelu")).body("hasSamples", equalTo(false));
        as(READER).get("/api/v1/models/" + id + "/samples.png").then().statusCode(404);
        submitCompressiveSensing(owner, id).then().statusCode(400)
                .body(containsString("model")).body(containsString("is rejected, not ready"));
    }

    @Test
    void aGeneratorWithoutImageAxesIsRejected() throws Exception {
        String id = uniqueId("torch-flat");
        upload(TestJobs.uniqueOwner(), id, "dcgan", "flat-generator.onnx", null).then().statusCode(202)
                .body("status", equalTo("rejected")).body("reason", containsString("[batch, C, H, W]"));
    }

    @Test
    void samplesOutsideTheDeclaredValueRangeRejectTheModelAfterValidation() throws Exception {
        String id = uniqueId("torch-dcgan");
        // A Tanh head spans (-1, 1); declared [0, 1] it is refused by the sample check.
        upload(TestJobs.uniqueOwner(), id, "dcgan", "tiny-dcgan.onnx", "0,1").then().statusCode(202);
        assertEquals("rejected", awaitVerdict(id));
        as(READER).get("/api/v1/models/" + id).then().body("reason", containsString("outside the declared valueRange"));
    }

    @Test
    void badFieldsAreRefusedNamingTheField() throws Exception {
        String owner = TestJobs.uniqueOwner();
        as(owner).multiPart("id", uniqueId("nothing")).multiPart("kind", "glow").post("/api/v1/models")
                .then().statusCode(400).body("message", containsString("generator:"));
        upload(owner, uniqueId("range"), "glow", "tiny-glow.onnx", "1,0").then().statusCode(400)
                .body("message", containsString("valueRange:"));
        upload(owner, "Upper Case", "glow", "tiny-glow.onnx", null).then().statusCode(400)
                .body("message", containsString("id:"));
        upload(owner, uniqueId("kind"), "lasso-dct", "tiny-glow.onnx", null).then().statusCode(400)
                .body("message", containsString("kind:"));
        upload(owner, "lasso-dct", "glow", "tiny-glow.onnx", null).then().statusCode(409)
                .body("message", containsString("already exists"));
    }

    @Test
    void builtInModelsCannotBeDeleted() {
        as(TestJobs.uniqueOwner()).delete("/api/v1/models/lasso-dct").then().statusCode(403)
                .body("message", containsString("built in"));
        as(TestJobs.uniqueOwner()).delete("/api/v1/models/" + InfrastructureResource.TEST_MODEL).then().statusCode(403);
    }
}
