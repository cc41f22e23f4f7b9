package io.flowrecon.adjoint;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowrecon.adjoint.check.AdjointCheck;
import io.flowrecon.adjoint.onnx.GraphBuilder;
import io.flowrecon.adjoint.onnx.Ops;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.DoubleSupplier;

/**
 * One operator (or small graph) under test: float inputs with shapes and value generators, a body that builds
 * y from them, and the inputs to differentiate; checked by {@link AdjointCheck} (central finite differences
 * or, for linear bodies, the dot-product test).
 */
final class GradientHarness {
    /** Builds the value under test from the named inputs. */
    @FunctionalInterface
    interface Body {
        String build(GraphBuilder g, Ops ops, Map<String, String> inputs);
    }

    private final Map<String, long[]> shapes = new LinkedHashMap<>();
    private final Map<String, float[]> values = new LinkedHashMap<>();
    private final List<String> wrt = new ArrayList<>();
    private final Random random;
    private Body body;
    private OperatorTable operators = OperatorTable.standard();

    GradientHarness(long seed) {
        random = new Random(seed);
    }

    /** An input with values uniform in [-1, 1]. */
    GradientHarness input(String name, long... dims) {
        return input(name, () -> 2 * random.nextDouble() - 1, dims);
    }

    /** An input with values uniform in [lo, hi]. */
    GradientHarness input(String name, double lo, double hi, long... dims) {
        return input(name, () -> lo + (hi - lo) * random.nextDouble(), dims);
    }

    /** An input whose values keep at least 0.2 away from zero (away from the kinks of Relu and friends). */
    GradientHarness inputAwayFromZero(String name, long... dims) {
        return input(name, () -> (random.nextBoolean() ? 1 : -1) * (0.2 + 0.8 * random.nextDouble()), dims);
    }

    GradientHarness input(String name, DoubleSupplier gen, long... dims) {
        long n = 1;
        for (long d : dims) {
            n *= d;
        }
        float[] v = new float[(int) n];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) gen.getAsDouble();
        }
        shapes.put(name, dims.clone());
        values.put(name, v);
        return this;
    }

    GradientHarness body(Body b) {
        this.body = b;
        return this;
    }

    /** Differentiates with these operators instead of the standard ones (to show a wrong rule is caught). */
    GradientHarness operators(OperatorTable custom) {
        this.operators = custom;
        return this;
    }

    GradientHarness wrt(String... names) {
        wrt.addAll(List.of(names));
        return this;
    }

    /** The check of the body's graph; the probe and directions come from the same seeded stream as the inputs. */
    private AdjointCheck check() {
        GraphBuilder g = new GraphBuilder("under_test", operators.shapeInference());
        Map<String, String> in = new LinkedHashMap<>();
        for (Map.Entry<String, long[]> e : shapes.entrySet()) {
            in.put(e.getKey(), g.inputFloat(e.getKey(), e.getValue()));
        }
        String y = body.build(g, new Ops(g), in);
        g.output(y);
        return new AdjointCheck(g.build(), y, wrt, values, new AdjointBuilder(operators), random);
    }

    /** See {@link AdjointCheck#finiteDifferenceError}. */
    double finiteDifferenceError() throws Exception {
        return check().finiteDifferenceError();
    }

    /** See {@link AdjointCheck#dotProductError}. */
    double dotProductError() throws Exception {
        return check().dotProductError();
    }

    static void assertBelow(double error, double tolerance, String what) {
        assertTrue(error < tolerance, what + ": relative error " + error + " >= " + tolerance);
    }
}
