package io.flowrecon.shared.job;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flowrecon.shared.job.Problem.CompressiveSensing;
import io.flowrecon.shared.job.Problem.Inpainting;
import io.flowrecon.shared.job.Problem.Mask;
import io.flowrecon.shared.job.Problem.Noise;
import io.flowrecon.shared.job.Problem.SensingOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Base64;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The stored form (Jackson over the typed records) and the spec hash. */
class StoredSpecsTest {

    // ------------------------------------------------------------ stored form and hash

    @Test
    void storedJsonRoundTripsEveryVariant() {
        List<Problem> problems = List.of(
                new Problem.Denoising(new Noise.Gaussian(0.1, 1)),
                new CompressiveSensing(750, SensingOperator.SUBSAMPLED_DCT, 7, new Noise.None()),
                new Inpainting(new Mask.CenterBlock(16), new Noise.GaussianNorm(0.1, 2)),
                new Inpainting(new Mask.RandomPixels(0.25, 9), new Noise.None()));
        for (Problem problem : problems) {
            JobSpec spec = new JobSpec("celeba32-glow", problem,
                    new SolverSettings("adam", 200, 0.05, 0.1, 0.0, 4, new SolverSettings.Init.RandomNormal(1.0, 5)),
                    "3f2c0d9e-1b7a-4c8e-9f00-0123456789ab");
            String stored = StoredSpecs.write(spec, SubmissionReaderTest.GLOW_SHAPE);
            assertEquals(spec, StoredSpecs.read(stored));
            assertEquals(SubmissionReaderTest.GLOW_SHAPE, StoredSpecs.imageShape(stored));
            assertEquals(stored, StoredSpecs.write(StoredSpecs.read(stored), SubmissionReaderTest.GLOW_SHAPE), "canonical");
        }
    }

    @Test
    void canonicalFormSurvivesJsonbKeyReordering() {
        Submission s = SubmissionReader.read(SubmissionReaderTest.csJob(), SubmissionReaderTest.MODELS);
        String stored = StoredSpecs.write(s.spec(), s.inputs().shape());
        // What PostgreSQL's jsonb hands back: keys sorted by length then bytes, whitespace added.
        String reordered = """
                {"model": "celeba32-glow", "solver": {"lr": 0.1, "init": {"kind": "zero"}, "gamma": 0.0, "steps": 30,
                 "lambda": 0.0, "restarts": 1, "optimizer": "lbfgs", "lineSearch": "strong-wolfe"}, "problem": {"m": 750, "kind": "compressive-sensing",
                 "seed": 7, "noise": {"kind": "gaussian-norm", "norm": 0.1, "seed": 8}, "operator": "gaussian"},
                 "imageShape": [3, 32, 32]}
                """;
        assertEquals(stored, StoredSpecs.write(StoredSpecs.read(reordered), StoredSpecs.imageShape(reordered)));
        assertEquals(SpecHash.of(s.spec(), s.inputs()),
                SpecHash.of(StoredSpecs.read(reordered), s.inputs()));
    }

    @Test
    void storedJsonHasNoBinaries() {
        Submission s = SubmissionReader.read(SubmissionReaderTest.csJob(), SubmissionReaderTest.MODELS);
        String stored = StoredSpecs.write(s.spec(), s.inputs().shape());
        assertFalse(stored.contains("png"), stored);
        assertNull(StoredSpecs.imageShape(StoredSpecs.write(s.spec())));
    }

    @Test
    void fromStoredJsonRejectsGarbage() {
        assertThrows(IllegalArgumentException.class, () -> StoredSpecs.read("[1]"));
        assertThrows(IllegalArgumentException.class, () -> StoredSpecs.read("{\"model\": \"x\"}"));
    }

    /** A valid stored spec (Glow defaults) around {@code problem}, with {@code tail} appended to the document. */
    private static String storedAround(String problem, String tail) {
        return "{\"model\": \"celeba32-glow\", \"problem\": " + problem + ", \"solver\": {\"optimizer\": \"lbfgs\","
                + " \"steps\": 30, \"lr\": 0.1, \"gamma\": 0.0, \"lambda\": 0.0, \"restarts\": 1,"
                + " \"init\": {\"kind\": \"zero\"}}" + tail + "}";
    }

    private static final String DENOISING = "{\"kind\": \"denoising\", \"noise\": {\"kind\": \"none\"}}";

    @Test
    void theDocumentAroundTheBrokenPartsIsAStoredSpec() {
        assertEquals(new Problem.Denoising(new Noise.None()), StoredSpecs.read(storedAround(DENOISING, "")).problem());
    }

    /** One part broken at a time: the worker must get a message, never a spec with a null inside. */
    @ParameterizedTest
    @ValueSource(strings = {
            "{\"kind\": \"deblurring\", \"noise\": {\"kind\": \"none\"}}",
            "{\"kind\": \"denoising\"}",
            "{\"kind\": \"denoising\", \"noise\": {\"kind\": \"none\"}, \"extra\": 1}",
            "{\"kind\": \"compressive-sensing\", \"operator\": \"fourier\", \"m\": 3, \"seed\": 1, \"noise\": {\"kind\": \"none\"}}",
            "{\"kind\": \"compressive-sensing\", \"m\": 3, \"seed\": 1, \"noise\": {\"kind\": \"none\"}}",
            "{\"kind\": \"compressive-sensing\", \"operator\": \"gaussian\", \"seed\": 1, \"noise\": {\"kind\": \"none\"}}",
            "{\"kind\": \"compressive-sensing\", \"operator\": \"gaussian\", \"m\": \"3\", \"seed\": 1, \"noise\": {\"kind\": \"none\"}}",
            "{\"kind\": \"inpainting\", \"noise\": {\"kind\": \"none\"}}",
            "{\"kind\": \"inpainting\", \"mask\": {\"kind\": \"center-block\"}, \"noise\": {\"kind\": \"none\"}}"})
    void readRejectsABrokenProblem(String problem) {
        assertRejected(storedAround(problem, ""));
    }

    @ParameterizedTest
    @ValueSource(strings = {", \"imageShape\": [0, 32, 32]", ", \"imageShape\": [3, 32]", ", \"experiment\": 5", "} {"})
    void readRejectsABrokenDocument(String tail) {
        assertRejected(storedAround(DENOISING, tail));
    }

    @ParameterizedTest
    @ValueSource(strings = {"null", "{\"kind\": \"uniform\"}"})
    void readRejectsABrokenSolver(String init) {
        assertRejected(storedAround(DENOISING, "").replace("{\"kind\": \"zero\"}", init));
        assertRejected(storedAround(DENOISING, "").replace("\"optimizer\": \"lbfgs\",", ""));
    }

    private static void assertRejected(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StoredSpecs.read(text), text);
        assertTrue(e.getMessage().startsWith("not a stored job spec: "), e.getMessage());
    }

    @Test
    void specHashDependsOnSpecAndInputs() {
        Submission s = SubmissionReader.read(SubmissionReaderTest.csJob(), SubmissionReaderTest.MODELS);
        String hash = SpecHash.of(s.spec(), s.inputs());
        assertTrue(hash.matches("[0-9a-f]{64}"), hash);
        assertEquals(hash, SpecHash.of(SubmissionReader.read(SubmissionReaderTest.csJob(), SubmissionReaderTest.MODELS).spec(), s.inputs()), "deterministic");

        ObjectNode otherSeed = SubmissionReaderTest.csJob();
        ((ObjectNode) otherSeed.get("problem")).put("seed", 8);
        assertNotEquals(hash, SpecHash.of(SubmissionReader.read(otherSeed, SubmissionReaderTest.MODELS).spec(), s.inputs()));

        byte[] otherPng = Base64.getDecoder().decode(SubmissionReaderTest.png(3, 32, 32).replace('A', 'A'));
        otherPng[otherPng.length - 1] ^= 1;
        JobInputs otherInputs = new JobInputs(otherPng, null, null, s.inputs().shape());
        assertNotEquals(hash, SpecHash.of(s.spec(), otherInputs));
        JobInputs movedInputs = new JobInputs(null, s.inputs().truthPng(), null, s.inputs().shape());
        assertNotEquals(hash, SpecHash.of(s.spec(), movedInputs), "truth vs measurement image differ");
    }

    // ------------------------------------------------------------ compatibility with rows already stored

    /**
     * Specs covering every variant, in the order of {@link #PINNED}. They ran without a line search (the setting
     * did not exist), so Glow's are the paper's fixed step, which the stored form leaves out.
     */
    private static List<JobSpec> pinnedSpecs() {
        SolverSettings fixedStep = SolverSettings.defaultsFor("glow").withLineSearch(SolverSettings.NO_LINE_SEARCH);
        return List.of(
                new JobSpec("celeba32-glow", new CompressiveSensing(307, SensingOperator.GAUSSIAN, 7,
                        new Noise.GaussianNorm(0.1, 8)), fixedStep, "3f1c2a8e-0000-4000-8000-000000000001"),
                new JobSpec("fmnist-dcgan", new Inpainting(new Mask.RandomPixels(0.5, 3), new Noise.Gaussian(0.05, 2)),
                        new SolverSettings("adam", 200, 0.05, 0.01, 0.0, 4, new SolverSettings.Init.RandomNormal(1.0, 9)),
                        null),
                new JobSpec("lasso-dct", new Problem.Denoising(new Noise.None()), SolverSettings.defaultsFor("lasso-dct"),
                        null),
                new JobSpec("m", new Inpainting(new Mask.CenterBlock(12), new Noise.None()), fixedStep, null));
    }

    @Test
    void aLineSearchIsStoredByNameAndTheFixedStepLeftOutSoOlderRowsKeepTheirHash() {
        JobSpec searched = pinnedSpecs().get(0);
        JobSpec wolfe = new JobSpec(searched.model(), searched.problem(), SolverSettings.defaultsFor("glow"),
                searched.experiment());
        String stored = StoredSpecs.write(wolfe, new ImageShape(3, 32, 32));
        assertEquals(PINNED[0].replace("\"init\":{\"kind\":\"zero\"}}", "\"init\":{\"kind\":\"zero\"},\"lineSearch\":\"strong-wolfe\"}"),
                stored);
        assertEquals(wolfe, StoredSpecs.read(stored));
        JobInputs truth = new JobInputs(new byte[] {1, 2, 3}, null, null, new ImageShape(3, 32, 32));
        assertNotEquals(PINNED[2], SpecHash.of(wolfe, truth), "another solver, another hash: no reuse across them");
        assertEquals(SolverSettings.NO_LINE_SEARCH, StoredSpecs.read(PINNED[0]).solver().lineSearch(),
                "a row stored before the setting ran without a line search");
    }

    /**
     * What the hand-written writer before the Jackson records produced, and the spec hashes of those specs with
     * a truth image and with a measurement vector: jobs.spec and jobs.spec_hash rows already stored must read
     * the same and hash the same, so these are exact.
     */
    private static final String[] PINNED = {
            "{\"model\":\"celeba32-glow\",\"experiment\":\"3f1c2a8e-0000-4000-8000-000000000001\",\"problem\":{\"kind\":\"compressive-sensing\",\"m\":307,\"operator\":\"gaussian\",\"seed\":7,\"noise\":{\"kind\":\"gaussian-norm\",\"norm\":0.1,\"seed\":8}},\"solver\":{\"optimizer\":\"lbfgs\",\"steps\":30,\"lr\":0.1,\"gamma\":0.0,\"lambda\":0.0,\"restarts\":1,\"init\":{\"kind\":\"zero\"}},\"imageShape\":[3,32,32]}",
            "{\"model\":\"celeba32-glow\",\"experiment\":\"3f1c2a8e-0000-4000-8000-000000000001\",\"problem\":{\"kind\":\"compressive-sensing\",\"m\":307,\"operator\":\"gaussian\",\"seed\":7,\"noise\":{\"kind\":\"gaussian-norm\",\"norm\":0.1,\"seed\":8}},\"solver\":{\"optimizer\":\"lbfgs\",\"steps\":30,\"lr\":0.1,\"gamma\":0.0,\"lambda\":0.0,\"restarts\":1,\"init\":{\"kind\":\"zero\"}}}",
            "ecf69d45deceb70786020bdf82be759e213321630b6d6221d1da949fbb4fec45",
            "7e52fde189e722be10bb2860befbb6fd0dd645ebf84476cbf4e8f0f6fee6b6e1",
            "{\"model\":\"fmnist-dcgan\",\"problem\":{\"kind\":\"inpainting\",\"mask\":{\"kind\":\"random-pixels\",\"missingFraction\":0.5,\"seed\":3},\"noise\":{\"kind\":\"gaussian\",\"std\":0.05,\"seed\":2}},\"solver\":{\"optimizer\":\"adam\",\"steps\":200,\"lr\":0.05,\"gamma\":0.01,\"lambda\":0.0,\"restarts\":4,\"init\":{\"kind\":\"random\",\"std\":1.0,\"seed\":9}},\"imageShape\":[3,32,32]}",
            "{\"model\":\"fmnist-dcgan\",\"problem\":{\"kind\":\"inpainting\",\"mask\":{\"kind\":\"random-pixels\",\"missingFraction\":0.5,\"seed\":3},\"noise\":{\"kind\":\"gaussian\",\"std\":0.05,\"seed\":2}},\"solver\":{\"optimizer\":\"adam\",\"steps\":200,\"lr\":0.05,\"gamma\":0.01,\"lambda\":0.0,\"restarts\":4,\"init\":{\"kind\":\"random\",\"std\":1.0,\"seed\":9}}}",
            "d2d6405d66ff17f112f0c03cf89f7375bf948ba17e7b18ce9d0468e402e2abf9",
            "aadd8833c8239be0f1407da082586572ba4d7ccc3d39c42832568e5899f98c39",
            "{\"model\":\"lasso-dct\",\"problem\":{\"kind\":\"denoising\",\"noise\":{\"kind\":\"none\"}},\"solver\":{\"optimizer\":\"fista\",\"steps\":500,\"lr\":1.0,\"gamma\":0.0,\"lambda\":0.01,\"restarts\":1,\"init\":{\"kind\":\"zero\"}},\"imageShape\":[3,32,32]}",
            "{\"model\":\"lasso-dct\",\"problem\":{\"kind\":\"denoising\",\"noise\":{\"kind\":\"none\"}},\"solver\":{\"optimizer\":\"fista\",\"steps\":500,\"lr\":1.0,\"gamma\":0.0,\"lambda\":0.01,\"restarts\":1,\"init\":{\"kind\":\"zero\"}}}",
            "0f027b921fbdd40c7657ee861301008cf74f5c0f554b63df6437fc657c4178b7",
            "ca0a0f586a0535f89aceab83f2d759848e0ff97ce6245eda7b69f21a9137d55a",
            "{\"model\":\"m\",\"problem\":{\"kind\":\"inpainting\",\"mask\":{\"kind\":\"center-block\",\"size\":12},\"noise\":{\"kind\":\"none\"}},\"solver\":{\"optimizer\":\"lbfgs\",\"steps\":30,\"lr\":0.1,\"gamma\":0.0,\"lambda\":0.0,\"restarts\":1,\"init\":{\"kind\":\"zero\"}},\"imageShape\":[3,32,32]}",
            "{\"model\":\"m\",\"problem\":{\"kind\":\"inpainting\",\"mask\":{\"kind\":\"center-block\",\"size\":12},\"noise\":{\"kind\":\"none\"}},\"solver\":{\"optimizer\":\"lbfgs\",\"steps\":30,\"lr\":0.1,\"gamma\":0.0,\"lambda\":0.0,\"restarts\":1,\"init\":{\"kind\":\"zero\"}}}",
            "b6736921815b9da82cce7e51717803f6d10f8e7fe73dbb77f52e4c527821f857",
            "48901742d22fac8dbcd7c21fc2352df004e5f4a8110a1f249608f488a65ee25e",
    };

    @Test
    void theStoredFormAndTheSpecHashAreTheSameAsBeforeTheRecordsCarriedJackson() {
        JobInputs truth = new JobInputs(new byte[] {1, 2, 3}, null, null, new ImageShape(3, 32, 32));
        JobInputs vector = new JobInputs(null, null, new float[] {0.5f, -1f}, new ImageShape(1, 28, 28));
        int k = 0;
        for (JobSpec spec : pinnedSpecs()) {
            assertEquals(PINNED[k++], StoredSpecs.write(spec, new ImageShape(3, 32, 32)));
            assertEquals(PINNED[k++], StoredSpecs.write(spec));
            assertEquals(PINNED[k++], SpecHash.of(spec, truth));
            assertEquals(PINNED[k++], SpecHash.of(spec, vector));
            assertEquals(spec, StoredSpecs.read(PINNED[k - 4]));
        }
    }
}
