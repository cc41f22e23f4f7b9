package io.flowrecon.worker.solve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowrecon.adjoint.AdjointBuilder;
import io.flowrecon.shared.model.ModelKinds;
import io.flowrecon.worker.engine.ObjectiveEngine;
import io.flowrecon.worker.engine.ToyPriors;
import io.flowrecon.worker.runtime.RuntimeConfig;
import io.flowrecon.worker.runtime.SessionFactory;
import io.flowrecon.worker.solve.deepdecoder.DeepDecoderSolver;
import io.flowrecon.worker.solve.lasso.LassoDctSolver;
import io.flowrecon.worker.solve.latent.GanSolver;
import io.flowrecon.worker.solve.latent.GlowSolver;
import io.flowrecon.worker.store.ModelRecord;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SolverRegistryTest {

    private static ObjectiveEngine engine;

    @BeforeAll
    static void openEngine() {
        engine = new ObjectiveEngine(SessionFactory.create(RuntimeConfig.cpu(1)), AdjointBuilder.standard());
    }

    @AfterAll
    static void closeEngine() {
        engine.close();
    }

    private static ModelRecord model(String id, String kind, Path bundle) {
        return new ModelRecord(id, kind, "sha", bundle == null ? null : bundle.toString(), "{}");
    }

    private static SolverRegistry standard() {
        return SolverRegistry.standard(engine, model -> Path.of(model.bundlePath()));
    }

    @Test
    void theStandardRegistryServesEveryKindThisBuildHasInSortedOrder() {
        assertEquals(List.of(ModelKinds.DCGAN, ModelKinds.DEEP_DECODER, ModelKinds.GLOW, ModelKinds.LASSO_DCT),
                List.copyOf(standard().kinds()));
    }

    @Test
    void eachKindGetsItsOwnSolver(@TempDir Path dir) throws Exception {
        ToyPriors.writeBundle(ToyPriors.convGenerator(3), ModelKinds.GLOW, dir.resolve("g"));
        ToyPriors.writeBundle(ToyPriors.convGenerator(3), ModelKinds.DCGAN, dir.resolve("d"));
        SolverRegistry solvers = standard();

        assertInstanceOf(LassoDctSolver.class, solvers.solverFor(model("lasso-dct", ModelKinds.LASSO_DCT, null)).orElseThrow());
        assertInstanceOf(GlowSolver.class, solvers.solverFor(model("g", ModelKinds.GLOW, dir.resolve("g"))).orElseThrow());
        assertInstanceOf(GanSolver.class, solvers.solverFor(model("d", ModelKinds.DCGAN, dir.resolve("d"))).orElseThrow());
        assertInstanceOf(DeepDecoderSolver.class,
                solvers.solverFor(model("deep-decoder", ModelKinds.DEEP_DECODER, null)).orElseThrow());
    }

    @Test
    void aKindNoSolverServesGivesNoSolver() {
        assertTrue(standard().solverFor(model("x", "vae", null)).isEmpty());
    }

    @Test
    void aBundleWhoseCardNamesAnotherKindThanTheRegisteredOneIsRefused(@TempDir Path dir) throws Exception {
        ToyPriors.writeBundle(ToyPriors.convGenerator(3), ModelKinds.DCGAN, dir);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> standard().solverFor(model("m", ModelKinds.GLOW, dir)));
        assertTrue(e.getMessage().contains("'glow'") && e.getMessage().contains("'dcgan'"), e.getMessage());
    }

    @Test
    void aRegistrationReplacesTheFactoryOfItsKind() {
        Solver mine = (operator, measurements, shape, settings, progress) -> null;
        SolverRegistry solvers = standard().register(ModelKinds.LASSO_DCT, model -> mine);
        assertEquals(mine, solvers.solverFor(model("lasso-dct", ModelKinds.LASSO_DCT, null)).orElseThrow());
        assertEquals(Set.of(ModelKinds.DCGAN, ModelKinds.DEEP_DECODER, ModelKinds.GLOW, ModelKinds.LASSO_DCT), solvers.kinds());
    }
}
