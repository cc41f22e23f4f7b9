package io.flowrecon.api.experiment.grid;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowrecon.shared.job.SpecViolation;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExperimentGridTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode body(String json) throws Exception {
        return JSON.readTree(json);
    }

    @Test
    void theGridIsTheProductOfItsAxesAndSeedsMultiplyOnlyTheProblemsTheyChange() throws Exception {
        List<SpecViolation> violations = new ArrayList<>();
        ExperimentGrid grid = ExperimentGrid.read(body("""
                {"models": ["a", "b"],
                 "problems": [{"kind": "compressive-sensing", "ratio": [0.1, 0.5], "noise": {"kind": "gaussian-norm", "norm": 0.1}},
                              {"kind": "denoising", "noise": [{"kind": "gaussian", "std": 0.05}, {"kind": "gaussian", "std": 0.1}]},
                              {"kind": "inpainting", "mask": {"kind": "center-block", "size": 4}}],
                 "solver": {"gamma": [0, 0.01]},
                 "seeds": {"operator": [7, 8, 9], "noise": [1, 2]}}
                """), 100, violations);
        assertEquals(List.of(), violations);
        assertNotNull(grid);
        // per model and solver point: CS 2 ratios x 3 operator seeds x 2 noise seeds = 12; denoising 2 noises x
        // 2 noise seeds = 4; inpainting (centre block, no noise) 1 -> 17; x 2 models x 2 gammas = 68.
        assertEquals(68, grid.jobsPerImage());
        List<GridPoint> points = grid.expand(List.of(0, 3));
        assertEquals(136, points.size());
        GridPoint first = points.get(0);
        assertEquals(0, first.imageIndex());
        assertEquals(10, first.job().at("/problem/m").asInt(), "ratio 0.1 of n = 100");
        assertEquals(7, first.job().at("/problem/seed").asLong());
        assertEquals(1, first.job().at("/problem/noise/seed").asLong());
        assertEquals(0.1, first.axes().get("ratio").asDouble());
        assertEquals("a", first.axes().get("model").asText());
        assertEquals(0, first.axes().get("gamma").asInt());
        GridPoint inpainting = points.stream().filter(p -> p.axes().get("problem").asText().equals("inpainting"))
                .findFirst().orElseThrow();
        assertNull(inpainting.axes().get("operatorSeed"), "a centre block has no seed to vary");
        assertNull(inpainting.axes().get("noiseSeed"), "noiseless measurements have no noise seed");
        assertEquals(3, points.get(points.size() - 1).imageIndex(), "images are the outermost loop");
    }

    @Test
    void initsOfOneKindWithDifferentParametersAreDifferentAxisValues() throws Exception {
        List<SpecViolation> violations = new ArrayList<>();
        ExperimentGrid grid = ExperimentGrid.read(body("""
                {"models": ["a"],
                 "problems": [{"kind": "compressive-sensing", "ratio": 0.1, "noise": {"kind": "gaussian-norm", "norm": 0.1}}],
                 "solver": {"init": [{"kind": "zero"}, {"kind": "random", "std": 0.1, "seed": 3},
                                     {"kind": "random", "std": 0.7, "seed": 3}]}}
                """), 100, violations);
        assertEquals(List.of(), violations);
        List<String> inits = grid.expand(List.of(0)).stream().map(p -> p.axes().get("init").asText()).toList();
        assertEquals(List.of("zero", "random(std=0.1,seed=3)", "random(std=0.7,seed=3)"), inits);
    }

    @Test
    void theLineSearchIsASolverAxisSoThePapersFixedStepAndTheDefaultCompareInOneExperiment() throws Exception {
        List<SpecViolation> violations = new ArrayList<>();
        ExperimentGrid grid = ExperimentGrid.read(body("""
                {"models": ["a"],
                 "problems": [{"kind": "compressive-sensing", "ratio": 0.1, "noise": {"kind": "gaussian-norm", "norm": 0.1}}],
                 "solver": {"lineSearch": ["none", "strong-wolfe"], "steps": [10, 30]}}
                """), 100, violations);
        assertEquals(List.of(), violations);
        List<String> cells = grid.expand(List.of(0)).stream()
                .map(p -> p.axes().get("lineSearch").asText() + "/" + p.axes().get("steps").asText()).toList();
        assertEquals(List.of("none/10", "none/30", "strong-wolfe/10", "strong-wolfe/30"), cells);
    }

    @Test
    void badAxesAreNamedEachByItsField() throws Exception {
        List<SpecViolation> violations = new ArrayList<>();
        assertNull(ExperimentGrid.read(body("""
                {"models": [],
                 "problems": [{"kind": "compressive-sensing", "m": [0, 20], "ratio": [0.1]},
                              {"kind": "compressive-sensing", "ratio": [1.5]},
                              {"kind": "deblurring"},
                              {"kind": "denoising"}],
                 "solver": {"gamma": [], "momentum": [1]},
                 "seeds": {"operator": [-1]}}
                """), 100, violations));
        List<String> fields = violations.stream().map(SpecViolation::field).toList();
        assertTrue(fields.contains("models"), fields.toString());
        assertTrue(fields.contains("problems[0]"), "m and ratio together: " + fields);
        assertTrue(fields.contains("problems[1].ratio[0]"), fields.toString());
        assertTrue(fields.contains("problems[2].kind"), fields.toString());
        assertTrue(fields.contains("problems[3].noise"), fields.toString());
        assertTrue(fields.contains("solver.gamma"), fields.toString());
        assertTrue(fields.contains("solver.momentum"), fields.toString());
        assertTrue(fields.contains("seeds.operator[0]"), fields.toString());
    }
}
