package io.flowrecon.adjoint.check;

import io.flowrecon.adjoint.AdjointBuilder;
import io.flowrecon.adjoint.onnx.Attrs;
import io.flowrecon.adjoint.onnx.GraphBuilder;
import io.flowrecon.adjoint.onnx.Ops;
import io.flowrecon.adjoint.onnx.proto.ModelProto;
import io.flowrecon.adjoint.onnx.proto.TensorProto.DataType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Checks the reverse pass of your own graph against its forward pass, both run in ONNX Runtime. To the
 * forward graph it appends loss = sum(y * probe) for a random probe, so that grad_x = J^T probe, differentiates
 * that with an {@link AdjointBuilder}, and compares: by central finite differences along a random direction
 * ({@link #finiteDifferenceError}), or, for y linear (or affine) in one input, by the dot-product test
 * &lt;J u, w&gt; = &lt;u, J^T w&gt; ({@link #dotProductError}), exact up to float32 rounding. Inputs are float32.
 */
public final class AdjointCheck {
    /** Float32 central differences: best of this sweep (truncation error falls with h, rounding grows as 1/h). */
    public static final double[] STEPS = {1e-2, 3e-3, 1e-3};

    private final ModelProto forward;
    private final String output;
    private final List<String> wrt;
    private final Map<String, float[]> values;
    private final AdjointBuilder adjoint;
    private final Random random;

    /**
     * @param forward a graph with float inputs; {@code values} gives every input its values (row-major)
     * @param output  the value y whose reverse pass is checked
     * @param wrt     the inputs to differentiate
     * @param random  draws the probe and the finite-difference directions
     */
    public AdjointCheck(ModelProto forward, String output, List<String> wrt, Map<String, float[]> values,
                        AdjointBuilder adjoint, Random random) {
        this.forward = forward;
        this.output = output;
        this.wrt = List.copyOf(wrt);
        this.values = Map.copyOf(values);
        this.adjoint = adjoint;
        this.random = random;
    }

    /** With the standard operators and a fixed seed. */
    public static AdjointCheck of(ModelProto forward, String output, List<String> wrt,
                                  Map<String, float[]> values) {
        return new AdjointCheck(forward, output, wrt, values, AdjointBuilder.standard(), new Random(1));
    }

    private record Prepared(ModelProto model, String probe, String loss, Map<String, float[]> feeds,
                            Map<String, long[]> shapes) {
    }

    /** The checked graph (forward outputs, loss, grad_<name>) and its feeds with a fresh probe. */
    private Prepared prepare() {
        GraphBuilder g = GraphBuilder.from(forward, Map.of(), adjoint.operators().shapeInference());
        Map<String, float[]> feeds = new HashMap<>();
        Map<String, long[]> shapes = new HashMap<>();
        for (String in : g.inputNames()) {
            if (g.type(in).elemType() != DataType.FLOAT || !values.containsKey(in)) {
                throw new IllegalArgumentException("input '" + in + "' needs float32 values (it is "
                        + g.type(in) + (values.containsKey(in) ? ")" : ", and none were given)"));
            }
            feeds.put(in, values.get(in));
            shapes.put(in, g.shape(in).dims());
        }
        long[] probeShape = g.shape(output).dims();
        String probe = g.inputFloat(g.freshName("probe"), probeShape);
        String loss = g.node("ReduceSum", List.of(new Ops(g).mul(output, probe)), "loss", Attrs.i("keepdims", 0));
        g.output(output);
        g.output(loss);
        float[] w = new float[(int) g.shape(probe).size()];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (2 * random.nextDouble() - 1);
        }
        feeds.put(probe, w);
        shapes.put(probe, probeShape);
        return new Prepared(adjoint.differentiate(g.build(), loss, wrt), probe, loss, feeds, shapes);
    }

    /**
     * Central finite differences along one random direction v over all wrt inputs:
     * (L(x + h v) - L(x - h v)) / 2h against sum_w &lt;grad_w, v_w&gt;. Returns the best relative error over
     * {@link #STEPS} (relative to max(|fd|, |ad|)).
     */
    public double finiteDifferenceError() throws Exception {
        Prepared p = prepare();
        try (OrtRunner ort = new OrtRunner(p.model())) {
            Map<String, float[]> grads = ort.run(p.feeds(), p.shapes(), gradNames());
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
                double plus = loss(ort, p, direction, h);
                double minus = loss(ort, p, direction, -h);
                double fd = (plus - minus) / (2 * h);
                double err = Math.abs(fd - ad) / Math.max(1e-6, Math.max(Math.abs(fd), Math.abs(ad)));
                best = Math.min(best, err);
            }
            return best;
        }
    }

    private double loss(OrtRunner ort, Prepared p, Map<String, float[]> direction, double h) throws Exception {
        Map<String, float[]> feeds = new HashMap<>(p.feeds());
        for (String w : wrt) {
            float[] base = values.get(w);
            float[] v = direction.get(w);
            float[] moved = new float[base.length];
            for (int i = 0; i < base.length; i++) {
                moved[i] = (float) (base[i] + h * v[i]);
            }
            feeds.put(w, moved);
        }
        return ort.run(feeds, p.shapes(), List.of(p.loss())).get(p.loss())[0];
    }

    /**
     * The dot-product test for y linear (or affine) in its single wrt input u: &lt;J u, w&gt; with
     * J u = y(u) - y(0) and w = probe, against &lt;u, J^T w&gt; (= &lt;u, grad_u&gt;). Returns the difference
     * relative to max(|J u| |w|, |u| |J^T w|).
     */
    public double dotProductError() throws Exception {
        if (wrt.size() != 1) {
            throw new IllegalStateException("the dot-product test takes one linear input, not " + wrt);
        }
        Prepared p = prepare();
        String u = wrt.get(0);
        try (OrtRunner ort = new OrtRunner(p.model())) {
            Map<String, float[]> r = ort.run(p.feeds(), p.shapes(), List.of(output, "grad_" + u));
            // J u = y(u) - y(0), so affine maps (a linear map plus a fixed term) are tested too.
            Map<String, float[]> atZero = new HashMap<>(p.feeds());
            atZero.put(u, new float[values.get(u).length]);
            float[] y0 = ort.run(atZero, p.shapes(), List.of(output)).get(output);
            float[] y = r.get(output);
            float[] ju = new float[y.length];
            for (int i = 0; i < y.length; i++) {
                ju[i] = y[i] - y0[i];
            }
            float[] probe = p.feeds().get(p.probe());
            double lhs = dot(ju, probe);
            float[] adjointOfProbe = r.get("grad_" + u);
            double rhs = dot(values.get(u), adjointOfProbe);
            // Scaled by the Cauchy-Schwarz bounds of both sides, not by |<J u, w>| itself, which can be small
            // when the terms cancel; then float32 rounding of the terms is what remains.
            double scale = Math.max(norm(ju) * norm(probe), norm(values.get(u)) * norm(adjointOfProbe));
            return Math.abs(lhs - rhs) / Math.max(1e-30, scale);
        }
    }

    private List<String> gradNames() {
        List<String> names = new ArrayList<>();
        for (String w : wrt) {
            names.add("grad_" + w);
        }
        return names;
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
}
