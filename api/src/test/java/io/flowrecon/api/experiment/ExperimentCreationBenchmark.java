package io.flowrecon.api.experiment;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flowrecon.api.support.TestKeys;
import io.flowrecon.api.support.InfrastructureResource;
import io.flowrecon.api.support.TestJobs;
import io.flowrecon.shared.image.Image;
import io.flowrecon.shared.image.Png;
import io.flowrecon.shared.job.ImageShape;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.util.Base64;
import java.util.Locale;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

/**
 * How long creating a 10,000-job experiment takes through the API, against the older one-image sweep that
 * inserts each job with its own statements. A benchmark, not a test: surefire's default includes skip it; run
 * {@code ./mvnw -pl api -am verify -Dtest=ExperimentCreationBenchmark -Dsurefire.failIfNoSpecifiedTests=false}.
 * It prints figures measured in one run and asserts only the job counts.
 */
@QuarkusTest
@QuarkusTestResource(InfrastructureResource.class)
class ExperimentCreationBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void tenThousandJobGrid() {
        String owner = TestJobs.uniqueOwner();
        ObjectNode set = JSON.createObjectNode().put("name", "bench");
        ArrayNode images = set.putArray("images");
        for (int i = 0; i < 100; i++) {
            float[] values = new float[16 * 16];
            for (int k = 0; k < values.length; k++) {
                values[k] = ((k * 7 + i * 31) % 23) / 22f;
            }
            images.add(Base64.getEncoder().encodeToString(Png.encode(new Image(new ImageShape(1, 16, 16), values))));
        }
        String setId = TestKeys.as(owner).contentType(ContentType.JSON).body(set.toString())
                .post("/api/v1/image-sets").then().statusCode(201).extract().jsonPath().getString("id");

        ObjectNode grid = JSON.createObjectNode().put("name", "10k");
        grid.putObject("images").put("imageSet", setId);
        grid.putArray("models").add("lasso-dct");
        ArrayNode ratios = grid.putArray("problems").addObject().put("kind", "compressive-sensing").putArray("ratio");
        for (int r = 1; r <= 10; r++) {
            ratios.add(r / 10.0);
        }
        ArrayNode seeds = grid.putObject("seeds").putArray("operator");
        for (int s = 0; s < 10; s++) {
            seeds.add(s);
        }
        // Warm-up: the first request pays for class loading and JIT.
        TestKeys.as(TestJobs.uniqueOwner()).contentType(ContentType.JSON).body(legacy(10).toString())
                .post("/api/v1/experiments").then().statusCode(202);

        long start = System.nanoTime();
        TestKeys.as(owner).contentType(ContentType.JSON).body(grid.toString())
                .post("/api/v1/experiments").then().statusCode(202).body("count", equalTo(10_000));
        double gridSeconds = (System.nanoTime() - start) / 1e9;

        long legacyStart = System.nanoTime();
        TestKeys.as(owner).contentType(ContentType.JSON).body(legacy(1000).toString())
                .post("/api/v1/experiments").then().statusCode(202).body("count", equalTo(1000));
        double legacySeconds = (System.nanoTime() - legacyStart) / 1e9;

        double gridRate = 10_000 / gridSeconds;
        double legacyRate = 1000 / legacySeconds;
        System.out.printf(Locale.ROOT, "BENCH experiment creation: 10,000-job grid in %.2f s (%.0f jobs/s); "
                        + "1,000-job one-by-one sweep in %.2f s (%.0f jobs/s); batched / one-by-one = %.1fx%n",
                gridSeconds, gridRate, legacySeconds, legacyRate, gridRate / legacyRate);
    }

    /** The older sweep form: one uploaded image, m swept over {@code points} values. */
    private static ObjectNode legacy(int points) {
        ObjectNode body = JSON.createObjectNode().put("name", "sweep");
        body.set("base", TestJobs.lassoJob(10));
        ArrayNode m = body.putObject("sweep").putArray("m");
        for (int i = 1; i <= points; i++) {
            m.add(1 + (i % 255));
        }
        return body;
    }
}
