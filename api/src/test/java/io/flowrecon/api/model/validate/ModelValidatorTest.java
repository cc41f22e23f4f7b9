package io.flowrecon.api.model.validate;

import io.flowrecon.adjoint.AdjointBuilder;
import io.flowrecon.adjoint.OperatorTable;
import io.flowrecon.shared.job.ImageShape;
import io.flowrecon.shared.model.ModelCard;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The checks on generators exported by torch.onnx.export (api/src/test/resources/imports/export_fixtures.py). */
class ModelValidatorTest {

    private final ModelValidator validator = ModelValidator.standard();

    static byte[] fixture(String name) throws IOException {
        try (InputStream in = ModelValidatorTest.class.getResourceAsStream("/imports/" + name)) {
            if (in == null) {
                throw new IOException("test resource imports/" + name + " is missing");
            }
            return in.readAllBytes();
        }
    }

    @Test
    void aPyTorchGlowPassesWithItsShapeReadFromTheGraph() throws Exception {
        GraphFacts facts = validator.inspect(fixture("tiny-glow.onnx"));
        assertEquals(64, facts.latent());
        assertEquals(new ImageShape(1, 8, 8), facts.shape());
        assertEquals(17, facts.opset());
        validator.runNumerics(facts, ModelCard.ValueRange.UNIT);
    }

    @Test
    void aPyTorchDcganPassesInItsDeclaredRangeAndIsRejectedOutsideIt() throws Exception {
        GraphFacts facts = validator.inspect(fixture("tiny-dcgan.onnx"));
        assertEquals(new ImageShape(3, 16, 16), facts.shape());
        validator.runNumerics(facts, new ModelCard.ValueRange(-1, 1));
        ModelRejectedException e = assertThrows(ModelRejectedException.class,
                () -> validator.runNumerics(facts, ModelCard.ValueRange.UNIT));
        assertTrue(e.getMessage().contains("outside the declared valueRange"), e.getMessage());
    }

    @Test
    void anOperatorOutsideTheDefaultDomainIsNamedWithItsNodeAndTheSupportedList() throws Exception {
        ModelRejectedException e = assertThrows(ModelRejectedException.class,
                () -> validator.inspect(fixture("contrib-op-dcgan.onnx")));
        assertTrue(e.getMessage().contains("com.microsoft.Gelu (first at node '"), e.getMessage());
        assertTrue(e.getMessage().contains("supported operators: ") && e.getMessage().contains("ConvTranspose"), e.getMessage());
    }

    @Test
    void anOperatorWithAShapeRuleButNoAdjointBetweenZAndTheImageIsRejected() throws Exception {
        // A table that reads Tanh (shape inference) but cannot differentiate it: a generator ending in it
        // cannot be solved, while shape arithmetic off the path from z to the image would be allowed.
        ModelValidator shapeOnlyTanh = new ModelValidator(new AdjointBuilder(OperatorTable.standard().withVjp("Tanh", null)));
        ModelRejectedException e = assertThrows(ModelRejectedException.class,
                () -> shapeOnlyTanh.inspect(fixture("tiny-dcgan.onnx")));
        assertTrue(e.getMessage().contains("no adjoint rule: Tanh (first at node '"), e.getMessage());
    }

    @Test
    void aGeneratorWithoutImageAxesIsRejected() throws Exception {
        ModelRejectedException e = assertThrows(ModelRejectedException.class,
                () -> validator.inspect(fixture("flat-generator.onnx")));
        assertTrue(e.getMessage().contains("must have shape [batch, C, H, W]"), e.getMessage());
    }

    @Test
    void aWrongReverseRuleFailsTheGradientCheck() throws Exception {
        // Sigmoid's adjoint made the identity's: dy instead of dy s (1 - s) <= dy / 4, so the output head alone
        // makes J^T w at least four times too large, far beyond the check's tolerance.
        OperatorTable broken = OperatorTable.standard().withVjp("Sigmoid", c -> {
            List<String> grads = c.noGrads();
            grads.set(0, c.dy());
            return grads;
        });
        ModelValidator wrong = new ModelValidator(new AdjointBuilder(broken));
        GraphFacts facts = wrong.inspect(fixture("tiny-glow.onnx"));
        ModelRejectedException e = assertThrows(ModelRejectedException.class,
                () -> wrong.runNumerics(facts, ModelCard.ValueRange.UNIT));
        assertTrue(e.getMessage().startsWith("gradient check:"), e.getMessage());
    }

    @Test
    void bytesThatAreNoOnnxModelAreRejected() {
        ModelRejectedException e = assertThrows(ModelRejectedException.class,
                () -> validator.inspect("not a graph at all".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertTrue(e.getMessage().startsWith("generator.onnx"), e.getMessage());
    }
}
