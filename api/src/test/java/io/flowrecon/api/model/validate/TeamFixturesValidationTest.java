package io.flowrecon.api.model.validate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowrecon.shared.job.ImageShape;
import io.flowrecon.shared.model.ModelCard;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The generators the adjoint module's PyTorch fixtures hold (tools/torch-export/export_fixtures.py: a Glow, a
 * DCGAN and a Deep Decoder at opsets 13 and 17, none written for this module) pass every import check with the
 * kind, value range and shapes their manifest declares. Read from the adjoint module's test resources, beside
 * this module in the reactor.
 */
class TeamFixturesValidationTest {

    private static final Path FIXTURES = Path.of("..", "adjoint", "src", "test", "resources", "torch");
    private final ModelValidator validator = ModelValidator.standard();

    private static JsonNode manifest() throws IOException {
        return new ObjectMapper().readTree(FIXTURES.resolve("manifest.json").toFile());
    }

    /** The fixtures that are generators: those with a declared value range (not the Glow's encoder). */
    static List<String> generators() throws IOException {
        List<String> generators = new ArrayList<>();
        for (JsonNode fixture : manifest().path("fixtures")) {
            if (fixture.path("valueRange").isArray()) {
                generators.add(fixture.path("file").asText());
            }
        }
        return generators;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("generators")
    void aGeneratorExportedByTorchPassesTheImportChecks(String file) throws Exception {
        JsonNode fixture = null;
        for (JsonNode f : manifest().path("fixtures")) {
            if (f.path("file").asText().equals(file)) {
                fixture = f;
            }
        }
        GraphFacts facts = validator.inspect(Files.readAllBytes(FIXTURES.resolve(fixture.path("file").asText())));
        JsonNode shape = fixture.path("imageShape");
        assertEquals(new ImageShape(shape.get(0).asInt(), shape.get(1).asInt(), shape.get(2).asInt()), facts.shape());
        assertEquals(fixture.path("input").path("shape").get(1).asInt(), facts.latent());
        assertEquals(fixture.path("opset").asLong(), facts.opset());
        JsonNode range = fixture.path("valueRange");
        validator.runNumerics(facts, new ModelCard.ValueRange(range.get(0).asDouble(), range.get(1).asDouble()));
    }
}
