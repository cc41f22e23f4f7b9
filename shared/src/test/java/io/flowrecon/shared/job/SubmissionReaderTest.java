package io.flowrecon.shared.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flowrecon.shared.image.Image;
import io.flowrecon.shared.image.Png;
import io.flowrecon.shared.job.ModelLookup.ModelInfo;
import io.flowrecon.shared.job.Problem.CompressiveSensing;
import io.flowrecon.shared.job.Problem.Inpainting;
import io.flowrecon.shared.job.Problem.Mask;
import io.flowrecon.shared.job.Problem.Noise;
import io.flowrecon.shared.job.Problem.SensingOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SubmissionReaderTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    static final ImageShape GLOW_SHAPE = new ImageShape(3, 32, 32);
    static final ModelLookup MODELS = ModelLookup.of(List.of(
            new ModelInfo("lasso-dct", "lasso-dct", null),
            new ModelInfo("celeba32-glow", "glow", GLOW_SHAPE),
            new ModelInfo("celeba32-dcgan", "dcgan", GLOW_SHAPE)));

    static String png(int channels, int height, int width) {
        float[] values = new float[channels * height * width];
        for (int i = 0; i < values.length; i++) {
            values[i] = (i % 17) / 16f;
        }
        return Base64.getEncoder().encodeToString(Png.encode(new Image(new ImageShape(channels, height, width), values)));
    }

    private static ObjectNode json(String text) {
        try {
            return (ObjectNode) JSON.readTree(text);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static ObjectNode csJob() {
        ObjectNode body = json("""
                {"model": "celeba32-glow",
                 "problem": {"kind": "compressive-sensing", "m": 750, "operator": "gaussian", "seed": 7,
                             "noise": {"kind": "gaussian-norm", "norm": 0.1, "seed": 8}},
                 "solver": {"optimizer": "lbfgs", "steps": 30, "lr": 0.1, "gamma": 0.0, "init": {"kind": "zero"}}}
                """);
        body.putObject("truth").put("png", png(3, 32, 32));
        return body;
    }

    private List<SpecViolation> violations(JsonNode body) {
        InvalidSpecException e = assertThrows(InvalidSpecException.class, () -> SubmissionReader.read(body, MODELS));
        assertFalse(e.violations().isEmpty());
        return e.violations();
    }

    /** Asserts that one violation is on {@code field} and its rule contains {@code ruleFragment}. */
    private void assertViolation(JsonNode body, String field, String ruleFragment) {
        List<SpecViolation> found = violations(body);
        assertTrue(found.stream().anyMatch(v -> v.field().equals(field) && v.rule().contains(ruleFragment)),
                () -> "expected " + field + " ~ '" + ruleFragment + "', got " + found);
    }

    // ------------------------------------------------------------ valid submissions

    @Test
    void parsesTheDesignExample() {
        Submission s = SubmissionReader.read(csJob(), MODELS);
        assertEquals("celeba32-glow", s.spec().model());
        assertEquals(new CompressiveSensing(750, SensingOperator.GAUSSIAN, 7, new Noise.GaussianNorm(0.1, 8)),
                s.spec().problem());
        assertEquals(new SolverSettings("lbfgs", 30, 0.1, 0.0, 0.0, 1, new SolverSettings.Init.Zero(),
                SolverSettings.STRONG_WOLFE), s.spec().solver());
        assertTrue(s.inputs().hasTruth());
        assertEquals(GLOW_SHAPE, s.inputs().shape());
        assertNull(s.spec().experiment());
    }

    @Test
    void fillsSolverDefaultsFromTheModelKind() {
        ObjectNode body = csJob();
        body.remove("solver");
        body.put("model", "celeba32-dcgan");
        assertEquals(SolverSettings.defaultsFor("dcgan"), SubmissionReader.read(body, MODELS).spec().solver());
        body.put("model", "lasso-dct");
        assertEquals(SolverSettings.defaultsFor("lasso-dct"), SubmissionReader.read(body, MODELS).spec().solver());
    }

    @Test
    void partialSolverKeepsDefaultsForTheRest() {
        ObjectNode body = csJob();
        body.set("solver", json("{\"steps\": 5, \"init\": {\"kind\": \"random\", \"std\": 0.5, \"seed\": 3}}"));
        SolverSettings s = SubmissionReader.read(body, MODELS).spec().solver();
        assertEquals(new SolverSettings("lbfgs", 5, 0.1, 0.0, 0.0, 1, new SolverSettings.Init.RandomNormal(0.5, 3),
                SolverSettings.STRONG_WOLFE), s);
    }

    @Test
    void glowTakesAStrongWolfeSearchUnlessTheSpecAsksForThePapersFixedStepOrAnotherOptimizer() {
        ObjectNode body = csJob();
        body.set("solver", json("{\"steps\": 5}"));
        assertEquals(SolverSettings.STRONG_WOLFE, SubmissionReader.read(body, MODELS).spec().solver().lineSearch());
        body.set("solver", json("{\"lineSearch\": \"none\"}"));
        assertEquals(SolverSettings.NO_LINE_SEARCH, SubmissionReader.read(body, MODELS).spec().solver().lineSearch());
        body.set("solver", json("{\"optimizer\": \"adam\"}"));
        assertEquals(SolverSettings.NO_LINE_SEARCH, SubmissionReader.read(body, MODELS).spec().solver().lineSearch(),
                "Adam has no line search");
        body.set("solver", json("{\"optimizer\": \"lbfgs\"}"));
        assertEquals(SolverSettings.STRONG_WOLFE, SubmissionReader.read(body, MODELS).spec().solver().lineSearch());
    }

    @Test
    void acceptsMeasurementVectorAsValuesAndAsFloat32() {
        ObjectNode body = json("""
                {"model": "lasso-dct", "problem": {"kind": "compressive-sensing", "m": 3, "operator": "subsampled-dct"},
                 "measurements": {"values": [0.5, -1.25, 2], "shape": [1, 2, 2]}}
                """);
        Submission fromValues = SubmissionReader.read(body, MODELS);
        assertArrayEquals(new float[]{0.5f, -1.25f, 2f}, fromValues.inputs().measurementValues());
        assertEquals(new ImageShape(1, 2, 2), fromValues.inputs().shape());

        ByteBuffer le = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putFloat(0.5f).putFloat(-1.25f).putFloat(2f);
        ((ObjectNode) body.get("measurements")).remove("values");
        ((ObjectNode) body.get("measurements")).put("float32", Base64.getEncoder().encodeToString(le.array()));
        Submission fromFloat32 = SubmissionReader.read(body, MODELS);
        assertArrayEquals(fromValues.inputs().measurementValues(), fromFloat32.inputs().measurementValues());
        assertEquals(SpecHash.of(fromValues.spec(), fromValues.inputs()),
                SpecHash.of(fromFloat32.spec(), fromFloat32.inputs()));
    }

    @Test
    void measurementShapeDefaultsToTheModelShape() {
        ObjectNode body = json("""
                {"model": "celeba32-glow", "problem": {"kind": "compressive-sensing", "m": 2, "operator": "subsampled-dct"},
                 "measurements": {"values": [0.5, 1]}}
                """);
        assertEquals(GLOW_SHAPE, SubmissionReader.read(body, MODELS).inputs().shape());
    }

    @Test
    void inpaintingWithUploadedMaskedImage() {
        ObjectNode body = json("""
                {"model": "celeba32-glow", "problem": {"kind": "inpainting", "mask": {"kind": "random-pixels",
                 "missingFraction": 0.5, "seed": 3}}}
                """);
        body.putObject("measurements").put("png", png(3, 32, 32));
        Submission s = SubmissionReader.read(body, MODELS);
        assertEquals(new Inpainting(new Mask.RandomPixels(0.5, 3), new Noise.None()), s.spec().problem());
        assertFalse(s.inputs().hasTruth());
        assertTrue(s.inputs().measurementPng().length > 0);
    }

    @Test
    void experimentIsNormalisedUuid() {
        ObjectNode body = csJob();
        body.put("experiment", "3F2C0D9E-1B7A-4C8E-9F00-0123456789AB");
        assertEquals("3f2c0d9e-1b7a-4c8e-9f00-0123456789ab", SubmissionReader.read(body, MODELS).spec().experiment());
    }

    // ------------------------------------------------------------ every rule

    @Test
    void bodyMustBeAnObject() {
        assertViolation(JSON.getNodeFactory().arrayNode(), "body", "must be a JSON object");
    }

    @Test
    void unknownModelListsRegisteredOnes() {
        ObjectNode body = csJob();
        body.put("model", "x");
        assertViolation(body, "model", "unknown model 'x'; registered: celeba32-dcgan, celeba32-glow, lasso-dct");
    }

    @Test
    void modelIsRequired() {
        ObjectNode body = csJob();
        body.remove("model");
        assertViolation(body, "model", "is required");
    }

    @Test
    void unknownTopLevelField() {
        ObjectNode body = csJob();
        body.put("modle", "x");
        assertViolation(body, "modle", "unknown field; allowed: model, experiment");
    }

    @Test
    void experimentMustBeUuid() {
        ObjectNode body = csJob();
        body.put("experiment", "sweep-1");
        assertViolation(body, "experiment", "UUID");
    }

    @Test
    void problemIsRequiredAndKindMustBeKnown() {
        ObjectNode body = csJob();
        body.remove("problem");
        assertViolation(body, "problem", "is required");
        body.set("problem", json("{\"kind\": \"deblurring\"}"));
        assertViolation(body, "problem.kind",
                "unknown problem kind 'deblurring'; allowed: denoising, compressive-sensing, inpainting");
        body.put("problem", "cs");
        assertViolation(body, "problem", "must be an object");
    }

    @ParameterizedTest
    @CsvSource({"0", "3073", "-5"})
    void mMustBeBetweenOneAndN(int m) {
        ObjectNode body = csJob();
        ((ObjectNode) body.get("problem")).put("m", m);
        assertViolation(body, "problem.m", "must be between 1 and n = 3072 (the image is 3x32x32)");
    }

    @Test
    void mOutOfRangeWithAnUnreadableImageNamesTheBoundWithoutANumber() {
        ObjectNode body = csJob();
        ((ObjectNode) body.get("problem")).put("m", -3);
        ((ObjectNode) body.get("truth")).put("png", "%%%");
        assertViolation(body, "problem.m", "must be between 1 and n, the number of image values");
        assertViolation(body, "truth.png", "not valid base64");
    }

    @Test
    void mMustBeAnIntegerAndIsRequired() {
        ObjectNode body = csJob();
        ((ObjectNode) body.get("problem")).put("m", 7.5);
        assertViolation(body, "problem.m", "must be an integer");
        ((ObjectNode) body.get("problem")).remove("m");
        assertViolation(body, "problem.m", "is required");
    }

    @Test
    void unknownOperator() {
        ObjectNode body = csJob();
        ((ObjectNode) body.get("problem")).put("operator", "fourier");
        assertViolation(body, "problem.operator", "unknown operator 'fourier'; allowed: gaussian, subsampled-dct");
    }

    @Test
    void denseGaussianIsLimitedToSixtyFourMegaEntries() {
        // 3x512x512 = 786432 values; m = 100 gives 78.6M entries > 64M = 67108864.
        ObjectNode body = json("""
                {"model": "lasso-dct", "problem": {"kind": "compressive-sensing", "m": 100, "operator": "gaussian"},
                 "measurements": {"float32": "", "shape": [3, 512, 512]}}
                """);
        float[] y = new float[100];
        ((ObjectNode) body.get("measurements")).put("float32",
                Base64.getEncoder().encodeToString(Float32.bytes(y)));
        assertViolation(body, "problem.operator", "dense gaussian operator limited to m*n <= 64M entries; use operator subsampled-dct");
        ((ObjectNode) body.get("problem")).put("operator", "subsampled-dct");
        assertEquals(100, ((CompressiveSensing) SubmissionReader.read(body, MODELS).spec().problem()).m());
    }

    @Test
    void noiseRules() {
        ObjectNode body = csJob();
        ObjectNode problem = (ObjectNode) body.get("problem");
        problem.set("noise", json("{\"kind\": \"laplace\"}"));
        assertViolation(body, "problem.noise.kind", "unknown noise kind 'laplace'; allowed: none, gaussian, gaussian-norm");
        problem.set("noise", json("{\"kind\": \"gaussian\", \"std\": -0.1}"));
        assertViolation(body, "problem.noise.std", "must be >= 0");
        problem.set("noise", json("{\"kind\": \"gaussian\"}"));
        assertViolation(body, "problem.noise.std", "is required");
        problem.set("noise", json("{\"kind\": \"gaussian-norm\", \"norm\": 1e400}"));
        assertViolation(body, "problem.noise.norm", "must be finite");
        problem.set("noise", json("{\"kind\": \"gaussian-norm\", \"norm\": \"0.1\"}"));
        assertViolation(body, "problem.noise.norm", "must be a number");
        problem.set("noise", json("{\"kind\": \"gaussian\", \"std\": 0.1, \"seed\": 1.5}"));
        assertViolation(body, "problem.noise.seed", "must be an integer");
        problem.set("noise", json("{\"kind\": \"none\", \"std\": 0.1}"));
        assertViolation(body, "problem.noise.std", "unknown field; allowed: kind");
    }

    @Test
    void maskRules() {
        ObjectNode body = csJob();
        body.set("problem", json("{\"kind\": \"inpainting\"}"));
        assertViolation(body, "problem.mask", "is required for inpainting");
        body.set("problem", json("{\"kind\": \"inpainting\", \"mask\": {\"kind\": \"center-block\", \"size\": 33}}"));
        assertViolation(body, "problem.mask.size", "must be between 1 and 32");
        body.set("problem", json("{\"kind\": \"inpainting\", \"mask\": {\"kind\": \"random-pixels\", \"missingFraction\": 1}}"));
        assertViolation(body, "problem.mask.missingFraction", "must be less than 1");
        body.set("problem", json("{\"kind\": \"inpainting\", \"mask\": {\"kind\": \"stripes\"}}"));
        assertViolation(body, "problem.mask.kind", "unknown mask kind 'stripes'; allowed: center-block, random-pixels");
    }

    @Test
    void truthOrMeasurementsExactlyOnce() {
        ObjectNode body = csJob();
        body.set("measurements", json("{\"values\": [1]}"));
        assertViolation(body, "measurements", "either truth or measurements, not both");
        body.remove("measurements");
        body.remove("truth");
        assertViolation(body, "truth", "is required");
    }

    @Test
    void truthPngRules() {
        ObjectNode body = csJob();
        ((ObjectNode) body.get("truth")).put("png", "%%% not base64");
        assertViolation(body, "truth.png", "not valid base64");
        ((ObjectNode) body.get("truth")).put("png", Base64.getEncoder().encodeToString("GIF89a, clearly not a png".getBytes()));
        assertViolation(body, "truth.png", "not a PNG image: ");
        byte[] truncated = java.util.Arrays.copyOf(Base64.getDecoder().decode(png(3, 32, 32)), 40);
        ((ObjectNode) body.get("truth")).put("png", Base64.getEncoder().encodeToString(truncated));
        assertViolation(body, "truth.png", "not a PNG image: ");
        ((ObjectNode) body.get("truth")).put("png", 12);
        assertViolation(body, "truth.png", "must be a base64 string");
        ((ObjectNode) body.get("truth")).remove("png");
        assertViolation(body, "truth.png", "is required");
    }

    @Test
    void imageShapeMustMatchTheModel() {
        ObjectNode body = csJob();
        ((ObjectNode) body.get("truth")).put("png", png(3, 64, 64));
        assertViolation(body, "truth.png", "image is 3x64x64 but model celeba32-glow takes 3x32x32");
    }

    @Test
    void imagesAreLimitedToFiveTwelvePixelsASide() {
        ObjectNode body = csJob();
        body.put("model", "lasso-dct");
        ((ObjectNode) body.get("truth")).put("png", png(1, 8, 513));
        assertViolation(body, "truth.png", "image too large: at most 512x512 pixels");
    }

    @Test
    void measurementVectorRules() {
        ObjectNode body = json("""
                {"model": "lasso-dct", "problem": {"kind": "compressive-sensing", "m": 3, "operator": "subsampled-dct"},
                 "measurements": {"values": [1, "x", 2], "shape": [1, 2, 2]}}
                """);
        assertViolation(body, "measurements.values[1]", "must be a number");
        ((ObjectNode) body.get("measurements")).set("values", json("{\"v\": [1e39, 1, 2]}").get("v"));
        assertViolation(body, "measurements.values[0]", "must be finite");
        ((ObjectNode) body.get("measurements")).set("values", json("{\"v\": [1, 2]}").get("v"));
        assertViolation(body, "measurements.values", "has 2 values but problem.m = 3");
        ((ObjectNode) body.get("measurements")).remove("values");
        ((ObjectNode) body.get("measurements")).put("float32", Base64.getEncoder().encodeToString(new byte[]{1, 2, 3, 4, 5}));
        assertViolation(body, "measurements.float32", "not a positive multiple of 4");
        float[] nan = {1f, Float.NaN, 2f};
        ((ObjectNode) body.get("measurements")).put("float32", Base64.getEncoder().encodeToString(Float32.bytes(nan)));
        assertViolation(body, "measurements.float32", "must be finite");
        ((ObjectNode) body.get("measurements")).put("float32", "@@@");
        assertViolation(body, "measurements.float32", "not valid base64");
        ((ObjectNode) body.get("measurements")).remove("float32");
        assertViolation(body, "measurements.values", "is required");
    }

    @Test
    void aVectorOfBadValuesListsOnlyTheFirstTen() {
        ObjectNode body = json("""
                {"model": "lasso-dct", "problem": {"kind": "compressive-sensing", "m": 50, "operator": "subsampled-dct"},
                 "measurements": {"shape": [1, 16, 16]}}
                """);
        var values = ((ObjectNode) body.get("measurements")).putArray("values");
        for (int i = 0; i < 50; i++) {
            values.add("x");
        }
        List<SpecViolation> found = violations(body);
        assertEquals(11, found.size(), found::toString);
        assertEquals("measurements.values[9]", found.get(9).field());
        assertTrue(found.get(10).rule().contains("only the first 10 are listed"));
    }

    @Test
    void measurementShapeRules() {
        ObjectNode body = json("""
                {"model": "lasso-dct", "problem": {"kind": "compressive-sensing", "m": 1, "operator": "subsampled-dct"},
                 "measurements": {"values": [1]}}
                """);
        assertViolation(body, "measurements.shape", "is required");
        ((ObjectNode) body.get("measurements")).set("shape", json("{\"s\": [2, 4, 4]}").get("s"));
        assertViolation(body, "measurements.shape", "channels must be 1 (grey) or 3 (RGB)");
        ((ObjectNode) body.get("measurements")).set("shape", json("{\"s\": [1, 4]}").get("s"));
        assertViolation(body, "measurements.shape", "must be [C, H, W]");
        ((ObjectNode) body.get("measurements")).set("shape", json("{\"s\": [1, 600, 4]}").get("s"));
        assertViolation(body, "measurements.shape", "image too large: at most 512x512 pixels");
        body.put("model", "celeba32-glow");
        ((ObjectNode) body.get("measurements")).set("shape", json("{\"s\": [1, 32, 32]}").get("s"));
        assertViolation(body, "measurements.shape", "image is 1x32x32 but model celeba32-glow takes 3x32x32");
    }

    @Test
    void measurementFormMustFitTheProblem() {
        ObjectNode cs = csJob();
        cs.remove("truth");
        cs.putObject("measurements").put("png", png(3, 32, 32));
        assertViolation(cs, "measurements.png", "compressive-sensing measurements are a vector");

        ObjectNode denoise = json("{\"model\": \"celeba32-glow\", \"problem\": {\"kind\": \"denoising\"},"
                + " \"measurements\": {\"values\": [1, 2]}}");
        assertViolation(denoise, "measurements.values", "unknown field; allowed: png");
        assertViolation(denoise, "measurements.png", "is required: denoising measurements are an image");
    }

    @Test
    void solverRules() {
        ObjectNode body = csJob();
        ObjectNode solver = (ObjectNode) body.get("solver");
        solver.put("optimizer", "sgd");
        assertViolation(body, "solver.optimizer", "unknown optimizer 'sgd'; allowed: fista, lbfgs, adam");
        solver.put("optimizer", "fista");
        assertViolation(body, "solver.optimizer", "fista solves the lasso-dct baseline only");
        body.put("model", "lasso-dct");
        solver.put("optimizer", "lbfgs");
        assertViolation(body, "solver.optimizer", "model kind lasso-dct is solved with fista");
        body.put("model", "celeba32-glow");
        solver.put("optimizer", "lbfgs");
        solver.put("steps", 0);
        assertViolation(body, "solver.steps", "must be between 1 and 100000");
        solver.put("steps", 30);
        solver.put("lr", 0);
        assertViolation(body, "solver.lr", "must be > 0");
        solver.put("lr", 0.1);
        solver.put("gamma", -1);
        assertViolation(body, "solver.gamma", "must be >= 0");
        solver.put("gamma", 0);
        solver.put("lambda", Double.NaN);
        assertViolation(body, "solver.lambda", "must be finite");
        solver.put("lambda", 0);
        solver.put("restarts", 65);
        assertViolation(body, "solver.restarts", "must be between 1 and 64");
        solver.put("restarts", 1);
        solver.put("lineSearch", "armijo");
        assertViolation(body, "solver.lineSearch", "unknown line search 'armijo'; allowed: none, strong-wolfe");
        solver.put("lineSearch", 3);
        assertViolation(body, "solver.lineSearch", "must be a non-empty string");
        solver.put("optimizer", "adam");
        solver.put("lineSearch", "strong-wolfe");
        assertViolation(body, "solver.lineSearch", "a line search needs solver.optimizer lbfgs, got adam");
        solver.put("optimizer", "lbfgs");
        solver.remove("lineSearch");
        solver.set("init", json("{\"kind\": \"uniform\"}"));
        assertViolation(body, "solver.init.kind", "unknown init kind 'uniform'; allowed: zero, random");
        solver.set("init", json("{\"kind\": \"random\", \"std\": 0}"));
        assertViolation(body, "solver.init.std", "must be > 0");
        solver.set("init", json("{\"kind\": \"zero\"}"));
        solver.put("momentum", 0.9);
        assertViolation(body, "solver.momentum", "unknown field");
    }

    @Test
    void collectsAllViolationsNotJustTheFirst() {
        ObjectNode body = csJob();
        ((ObjectNode) body.get("problem")).put("m", 0);
        ((ObjectNode) body.get("solver")).put("steps", -1);
        body.put("experiment", "nope");
        List<SpecViolation> found = violations(body);
        assertEquals(List.of("experiment", "problem.m", "solver.steps"), found.stream().map(SpecViolation::field).sorted().toList());
    }
}
