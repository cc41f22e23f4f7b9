package io.flowrecon.adjoint;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowrecon.adjoint.onnx.GraphBuilder;
import io.flowrecon.adjoint.onnx.Ops;
import io.flowrecon.adjoint.onnx.proto.ModelProto;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.DoubleSupplier;

/**
 * One operator (or small graph) under test: float inputs with shapes and value generators, a body that builds
 * y from them, and the inputs to differentiate. The harness appends loss = sum(y * probe) for a random probe,
 * so grad = J^T probe, and checks it by central finite differences or, for linear bodies, the dot-product test.
 */
final class GradientHarness {
    /** Builds the value under test from the named inputs. */
    @FunctionalInterface
    interface Body {
        String build(GraphBuilder g, Ops ops, Map<String, String> inputs);
    }

    /** Float32 central differences: best of this sweep (truncation error falls with h, rounding grows as 1/h). */
    static final double[] STEPS = {1e-2, 3e-3, 1e-3};

    private final Map<String, long[]> shapes = new LinkedHashMap<>();
    private final Map<String, float[]> values = new LinkedHashMap<>();
    private final List<String> wrt = new ArrayList<>();
    private final Random random;
    private Body body;
    private VjpRules rules = VjpRules.standard();

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

    /** Differentiates with these rules instead of the standard ones (to show a wrong rule is caught). */
    GradientHarness rules(VjpRules custom) {
        this.rules = custom;
        return this;
    }

    GradientHarness wrt(String... names) {
        wrt.addAll(List.of(names));
        return this;
    }

    /** The graph: inputs, y, probe, loss = ReduceSum(y * probe), gradients grad_<name>; outputs y, loss, grads. */
    private ModelProto model(long[][] probeShape) {
        GraphBuilder g = new GraphBuilder("under_test");
        Ops ops = new Ops(g);
        Map<String, String> in = new LinkedHashMap<>();
        for (Map.Entry<String, long[]> e : shapes.entrySet()) {
            in.put(e.getKey(), g.inputFloat(e.getKey(), e.getValue()));
        }
        String y = body.build(g, ops, in);
        probeShape[0] = g.shape(y).dims();
        String probe = g.inputFloat("probe", probeShape[0]);
        String loss = g.node("ReduceSum", List.of(ops.mul(y, probe)), "loss",
                io.flowrecon.adjoint.onnx.Attrs.i("keepdims", 0));
        g.output(y);
        g.output(loss);
        ModelProto forward = g.build();
        return new AdjointBuilder(rules).differentiate(forward, loss, wrt);
    }

    private record Evaluated(ModelProto model, String y, String loss, Map<String, float[]> feeds,
                             Map<String, long[]> feedShapes) {
    }

    private Evaluated prepare() {
        long[][] probeShape = new long[1][];
        ModelProto m = model(probeShape);
        Map<String, float[]> feeds = new HashMap<>(values);
        Map<String, long[]> feedShapes = new HashMap<>(shapes);
        long n = 1;
        for (long d : probeShape[0]) {
            n *= d;
        }
        float[] probe = new float[(int) n];
        for (int i = 0; i < probe.length; i++) {
            probe[i] = (float) (2 * random.nextDouble() - 1);
        }
        feeds.put("probe", probe);
        feedShapes.put("probe", probeShape[0]);
        String y = m.getGraph().getOutput(0).getName();
        String loss = m.getGraph().getOutput(1).getName();
        return new Evaluated(m, y, loss, feeds, feedShapes);
    }

    /**
     * Central finite differences along one random direction v over all wrt inputs:
     * (L(x + h v) - L(x - h v)) / 2h against sum_w <grad_w, v_w>. Returns the best relative error over {@link
     * #STEPS} (relative to max(|fd|, |ad|)).
     */
    double finiteDifferenceError() throws Exception {
        Evaluated e = prepare();
        try (OrtRunner ort = new OrtRunner(e.model())) {
            List<String> gradNames = wrt.stream().map(w -> "grad_" + w).toList();
            Map<String, float[]> grads = ort.run(e.feeds(), e.feedShapes(), gradNames);
            Map<String, float[]> direction = new HashMap<>();
            double ad = 0;
            for (String w : wrt) {
                float[] v = new float[values.get(w).length];
                float[] gw = grads.get("grad_" + w);
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) random.nextGaussian();
                    ad += (double) gw[i] * v[i];
                }
                direction.put(w, v);
            }
            double best = Double.POSITIVE_INFINITY;
            for (double h : STEPS) {
                double plus = loss(ort, e, direction, h);
                double minus = loss(ort, e, direction, -h);
                double fd = (plus - minus) / (2 * h);
                double err = Math.abs(fd - ad) / Math.max(1e-6, Math.max(Math.abs(fd), Math.abs(ad)));
                best = Math.min(best, err);
            }
            return best;
        }
    }

    private double loss(OrtRunner ort, Evaluated e, Map<String, float[]> direction, double h) throws Exception {
        Map<String, float[]> feeds = new HashMap<>(e.feeds());
        for (String w : wrt) {
            float[] base = values.get(w);
            float[] v = direction.get(w);
            float[] moved = new float[base.length];
            for (int i = 0; i < base.length; i++) {
                moved[i] = (float) (base[i] + h * v[i]);
            }
            feeds.put(w, moved);
        }
        return ort.run(feeds, e.feedShapes(), List.of(e.loss())).get(e.loss())[0];
    }

    /**
     * The dot-product test for a body linear (or affine) in its single wrt input u: <J u, w> with
     * J u = y(u) - y(0) and w = probe, against <u, J^T w> (= <u, grad_u>). Returns the difference relative to
     * max(|J u| |w|, |u| |J^T w|).
     */
    double dotProductError() throws Exception {
        if (wrt.size() != 1) {
            throw new IllegalStateException("the dot-product test takes one linear input");
        }
        Evaluated e = prepare();
        String u = wrt.get(0);
        try (OrtRunner ort = new OrtRunner(e.model())) {
            Map<String, float[]> r = ort.run(e.feeds(), e.feedShapes(), List.of(e.y(), "grad_" + u));
            // J u = y(u) - y(0), so affine bodies (a linear map plus a fixed term) are tested too.
            Map<String, float[]> atZero = new HashMap<>(e.feeds());
            atZero.put(u, new float[values.get(u).length]);
            float[] y0 = ort.run(atZero, e.feedShapes(), List.of(e.y())).get(e.y());
            float[] y = r.get(e.y());
            float[] ju = new float[y.length];
            for (int i = 0; i < y.length; i++) {
                ju[i] = y[i] - y0[i];
            }
            double lhs = dot(ju, e.feeds().get("probe"));
            float[] adjoint = r.get("grad_" + u);
            double rhs = dot(values.get(u), adjoint);
            // Scaled by the Cauchy-Schwarz bounds of both sides, not by |<J u, w>| itself, which can be small
            // when the terms cancel; then float32 rounding of the terms is what remains.
            double scale = Math.max(norm(ju) * norm(e.feeds().get("probe")), norm(values.get(u)) * norm(adjoint));
            return Math.abs(lhs - rhs) / Math.max(1e-30, scale);
        }
    }

    /** Gradients at the harness's values (for tests comparing against hand-computed ones). */
    Map<String, float[]> gradients() throws Exception {
        Evaluated e = prepare();
        try (OrtRunner ort = new OrtRunner(e.model())) {
            return ort.run(e.feeds(), e.feedShapes(), wrt.stream().map(w -> "grad_" + w).toList());
        }
    }

    private static double norm(float[] a) {
        return Math.sqrt(dot(a, a));
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }

    static void assertBelow(double error, double tolerance, String what) {
        assertTrue(error < tolerance, what + ": relative error " + error + " >= " + tolerance);
    }
}
