package io.flowrecon.shared.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flowrecon.shared.job.ModelLookup.ModelInfo;
import io.flowrecon.shared.model.BuiltinModels;
import io.flowrecon.shared.model.ModelCard;
import io.flowrecon.shared.model.ModelKinds;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The deep-decoder kind in a submission: its defaults and the settings it refuses. */
class DeepDecoderSpecTest {

    private static final ModelLookup MODELS = ModelLookup.of(List.of(
            new ModelInfo("deep-decoder", ModelKinds.DEEP_DECODER, null)));

    private static ObjectNode job(String solver) throws Exception {
        ObjectNode body = (ObjectNode) new ObjectMapper().readTree("""
                {"model": "deep-decoder",
                 "problem": {"kind": "denoising", "noise": {"kind": "gaussian", "std": 0.1, "seed": 1}}}
                """);
        if (solver != null) {
            body.set("solver", new ObjectMapper().readTree(solver));
        }
        body.putObject("truth").put("png", SubmissionReaderTest.png(3, 32, 32));
        return body;
    }

    @Test
    void aDeepDecoderJobTakesAdamAndRandomWeightsByDefault() throws Exception {
        SolverSettings s = SubmissionReader.read(job(null), MODELS).spec().solver();
        assertEquals(SolverSettings.defaultsFor(ModelKinds.DEEP_DECODER), s);
        assertEquals("adam", s.optimizer());
        assertEquals(0.01, s.lr());
        assertTrue(s.init() instanceof SolverSettings.Init.RandomNormal);
    }

    @Test
    void anotherWeightSeedIsAccepted() throws Exception {
        SolverSettings s = SubmissionReader.read(job("{\"init\": {\"kind\": \"random\", \"seed\": 9}}"), MODELS)
                .spec().solver();
        assertEquals(new SolverSettings.Init.RandomNormal(1.0, 9), s.init());
    }

    @Test
    void zeroWeightsAndFistaAreRefusedNamingTheField() throws Exception {
        InvalidSpecException e = assertThrows(InvalidSpecException.class, () -> SubmissionReader.read(
                job("{\"optimizer\": \"fista\", \"init\": {\"kind\": \"zero\"}}"), MODELS));
        assertTrue(e.violations().stream().anyMatch(v -> v.field().equals("solver.init.kind")
                && v.rule().contains("allowed: random")), e.violations().toString());
        assertTrue(e.violations().stream().anyMatch(v -> v.field().equals("solver.optimizer")
                && v.rule().contains("lbfgs, adam")), e.violations().toString());
    }

    @Test
    void theBuiltInCardTakesAnyShapeAndItsHashIsStable() {
        ModelCard card = BuiltinModels.deepDecoder();
        assertEquals(ModelKinds.DEEP_DECODER, card.kind());
        assertEquals(null, card.imageShape());
        // The stored form round-trips (numbers come back as the JSON reader's types, so compare the text).
        assertEquals(card.toJson(), ModelCard.fromJson(card.toJson()).toJson());
        assertEquals(card.sha256(), BuiltinModels.deepDecoder().sha256());
        assertTrue(BuiltinModels.all().contains(card));
    }
}
