package io.flowrecon.api.model;

import io.flowrecon.api.support.TestJobs;
import io.flowrecon.api.support.TestKeys;
import io.flowrecon.api.support.InfrastructureResource;
import io.flowrecon.shared.model.BuiltinModels;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.hasItem;

@QuarkusTest
@QuarkusTestResource(InfrastructureResource.class)
class ModelResourceTest {

    @Test
    void registersBuiltinsAndValidBundlesOnly() {
        TestKeys.as(TestJobs.uniqueOwner()).when().get("/api/v1/models").then().statusCode(200)
                .body("items.id", hasItems("lasso-dct", "deep-decoder", InfrastructureResource.TEST_MODEL))
                .body("items.id", not(hasItem(InfrastructureResource.BROKEN_MODEL)));
    }

    @Test
    void modelDetailCarriesTheCardAndHash() {
        TestKeys.as(TestJobs.uniqueOwner()).when().get("/api/v1/models/lasso-dct").then().statusCode(200)
                .body("kind", equalTo("lasso-dct")).body("sha256", equalTo(BuiltinModels.lassoDct().sha256()));
        TestKeys.as(TestJobs.uniqueOwner()).when().get("/api/v1/models/" + InfrastructureResource.TEST_MODEL).then().statusCode(200)
                .body("kind", equalTo("glow")).body("card.imageShape", equalTo(java.util.List.of(3, 32, 32)))
                .body("card.files.'generator.onnx'", not(equalTo(null)));
        TestKeys.as(TestJobs.uniqueOwner()).when().get("/api/v1/models/missing").then().statusCode(404).contentType(ContentType.JSON)
                .body("message", containsString("no model 'missing'"));
    }

    @Test
    void healthMetricsAndOpenApiAreServed() {
        given().when().get("/q/health/ready").then().statusCode(200)
                .body("checks.name", hasItem("kafka"));
        given().when().get("/q/health/live").then().statusCode(200);
        given().when().get("/q/metrics").then().statusCode(200).body(containsString("flowrecon_outbox"));
        given().when().get("/q/openapi").then().statusCode(200).body(containsString("/api/v1/jobs"));
        given().when().get("/q/swagger-ui/").then().statusCode(200);
    }
}
