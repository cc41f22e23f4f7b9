package io.flowrecon.api.job;

import io.flowrecon.api.support.TestKeys;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowrecon.api.support.InfrastructureResource;
import io.flowrecon.api.support.TestJobs;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@QuarkusTestResource(InfrastructureResource.class)
class OpenApiDocumentTest {

    @Test
    void theJobSubmissionBodyIsDescribedWithItsProblemVariantsAndAnExample() {
        JsonPath doc = given().get("/q/openapi?format=json").then().statusCode(200).extract().jsonPath();
        Map<String, Object> body = doc.getMap("paths.'/api/v1/jobs'.post.requestBody.content.'application/json'");
        assertNotNull(body, "POST /api/v1/jobs has a JSON request body");
        assertEquals("#/components/schemas/JobSpec", ((Map<?, ?>) body.get("schema")).get("$ref"));
        assertTrue(((Map<?, ?>) body.get("examples")).containsKey("compressive sensing"), body.toString());

        Map<String, Object> problem = doc.getMap("components.schemas.JobSpec.properties.problem");
        List<Map<String, String>> oneOf = doc.getList("components.schemas.JobSpec.properties.problem.oneOf");
        assertEquals(List.of("#/components/schemas/Denoising", "#/components/schemas/CompressiveSensing",
                "#/components/schemas/Inpainting"), oneOf.stream().map(m -> m.get("$ref")).toList());
        assertEquals("kind", ((Map<?, ?>) problem.get("discriminator")).get("propertyName"));
        assertTrue(doc.getList("components.schemas.JobSpec.required").containsAll(List.of("model", "problem")));
        assertEquals(List.of("gaussian", "subsampled-dct"),
                doc.getList("components.schemas.CompressiveSensing.properties.operator.enum"));
    }

    @Test
    void theRunnableExampleOfTheDocumentIsAccepted() throws Exception {
        JsonPath doc = given().get("/q/openapi?format=json").then().statusCode(200).extract().jsonPath();
        Object example = doc.get("paths.'/api/v1/jobs'.post.requestBody.content.'application/json'.examples.'measurements given'.value");
        assertNotNull(example, "the document has the runnable example");
        String body = example instanceof String text ? text : new ObjectMapper().writeValueAsString(example);
        TestKeys.as(TestJobs.uniqueOwner()).contentType(ContentType.JSON).body(body)
                .when().post("/api/v1/jobs").then().statusCode(202);
    }
}
