package io.flowrecon.api.model;

import io.flowrecon.api.support.InfrastructureResource;
import io.flowrecon.api.support.TestJobs;
import io.flowrecon.api.support.TestKeys;
import io.flowrecon.shared.image.Image;
import io.flowrecon.shared.image.Png;
import io.flowrecon.shared.job.ImageShape;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@QuarkusTestResource(InfrastructureResource.class)
class ModelSamplesTest {

    @Inject
    DataSource dataSource;

    @Test
    void aBundleFolderServesItsSamplesGrid() throws Exception {
        Path samples = bundleFolder(InfrastructureResource.TEST_MODEL).resolve(ModelSamplesResource.FILE_NAME);
        byte[] png = Png.encode(new Image(new ImageShape(1, 2, 3), new float[] {0, 0.2f, 0.4f, 0.6f, 0.8f, 1}));
        Files.write(samples, png);
        try {
            byte[] served = TestKeys.as(TestJobs.uniqueOwner()).when().get("/api/v1/models/" + InfrastructureResource.TEST_MODEL + "/samples.png")
                    .then().statusCode(200).contentType("image/png").extract().asByteArray();
            assertArrayEquals(png, served);
            TestKeys.as(TestJobs.uniqueOwner()).when().get("/api/v1/models/" + InfrastructureResource.TEST_MODEL)
                    .then().statusCode(200).body("hasSamples", equalTo(true));
        } finally {
            Files.delete(samples);
        }
    }

    @Test
    void samplesNeedAKeyLikeEveryOtherCall() {
        given().when().get("/api/v1/models/lasso-dct/samples.png").then().statusCode(401);
    }

    @Test
    void aModelWithoutSamplesOrUnknownIs404() {
        TestKeys.as(TestJobs.uniqueOwner()).when().get("/api/v1/models/lasso-dct/samples.png").then().statusCode(404).contentType(ContentType.JSON)
                .body("error", equalTo("image-not-available")).body("message", containsString("has no samples.png"));
        TestKeys.as(TestJobs.uniqueOwner()).when().get("/api/v1/models/lasso-dct").then().statusCode(200)
                .body("hasSamples", equalTo(false));
        TestKeys.as(TestJobs.uniqueOwner()).when().get("/api/v1/models/missing/samples.png").then().statusCode(404)
                .body("error", equalTo("image-not-available")).body("message", containsString("'missing' has no samples.png"));
    }

    private Path bundleFolder(String id) throws Exception {
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("select bundle_path from models where id = ?")) {
            s.setString(1, id);
            try (ResultSet row = s.executeQuery()) {
                assertTrue(row.next(), id + " is registered");
                return Path.of(row.getString(1));
            }
        }
    }
}
