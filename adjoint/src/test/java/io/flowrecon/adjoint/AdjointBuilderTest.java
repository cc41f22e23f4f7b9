package io.flowrecon.adjoint;

import static io.flowrecon.adjoint.GradientHarness.assertBelow;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowrecon.adjoint.check.OrtRunner;
import io.flowrecon.adjoint.onnx.GraphBuilder;
import io.flowrecon.adjoint.onnx.Ops;
import io.flowrecon.adjoint.onnx.Shape;
import io.flowrecon.adjoint.onnx.proto.ModelProto;
import io.flowrecon.adjoint.onnx.proto.TensorProto.DataType;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AdjointBuilderTest {
    /** Same reasoning as {@link VjpRulesFiniteDifferenceTest#TOLERANCE}; whole graphs reach ~1e-4. */
    private static final double FD_TOLERANCE = VjpRulesFiniteDifferenceTest.TOLERANCE;

    @Test
    void coversEveryOperatorOfTheBrief() {
        Set<String> required = Set.of("Conv", "ConvTranspose", "MatMul", "Gemm", "Add", "Sub", "Mul", "Div", "Neg",
                "Exp", "Log", "Sqrt", "Pow", "Sigmoid", "Tanh", "Relu", "LeakyRelu", "Softplus", "Reshape", "Flatten",
                "Transpose", "Split", "Concat", "Slice", "Pad", "Squeeze", "Unsqueeze", "ReduceSum", "ReduceMean",
                "BatchNormalization", "InstanceNormalization", "Resize", "Identity", "Constant", "Clip", "Where");
        Set<String> have = OperatorTable.standard().differentiable();
        for (String op : required) {
            assertTrue(have.contains(op), "no rule for " + op);
        }
    }

    @Test
    void dcganLikeGeneratorGradientInLatentAndWeights() throws Exception {
        GradientHarness h = new GradientHarness(201)
                .input("z", 2, 6).input("w1", 6, 32).input("b1", 32).input("bn_s", 0.5, 1.5, 2)
                .input("bn_b", 2).input("bn_m", 2).input("bn_v", 0.5, 2, 2).input("k1", 2, 3, 4, 4)
                .input("k2", 3, 3, 3, 3)
                .wrt("z", "w1", "k1", "k2", "bn_s")
                .body((g, ops, in) -> {
                    String h0 = ops.gemm(in.get("z"), in.get("w1"), in.get("b1"), 1f, 1f, false, false);
                    String x = ops.reshape(h0, 2, 2, 4, 4);
                    x = g.node("BatchNormalization", List.of(x, in.get("bn_s"), in.get("bn_b"), in.get("bn_m"),
                            in.get("bn_v")));
                    x = ops.leakyRelu(x, 0.2f);
                    x = ops.convTranspose(x, in.get("k1"), null, new long[] {2, 2}, new long[] {1, 1, 1, 1},
                            new long[] {1, 1}, 1, new long[] {0, 0});
                    String skip = x; // fan-out: a residual branch
                    x = ops.softplus(x);
                    x = ops.conv(x, in.get("k2"), null, new long[] {1, 1}, new long[] {1, 1, 1, 1},
                            new long[] {1, 1}, 1);
                    return ops.sigmoid(ops.add(x, skip));
                });
        assertBelow(h.finiteDifferenceError(), FD_TOLERANCE, "DCGAN-like generator");
    }

    @Test
    void glowLikeCouplingAndSqueeze() throws Exception {
        GradientHarness h = new GradientHarness(202)
                .input("z", 2, 4, 4, 4).input("k", 4, 2, 3, 3).input("bias", 4)
                .wrt("z", "k")
                .body((g, ops, in) -> {
                    List<String> halves = ops.split(in.get("z"), 1, 2, 2);
                    String st = ops.conv(halves.get(0), in.get("k"), in.get("bias"), new long[] {1, 1},
                            new long[] {1, 1, 1, 1}, new long[] {1, 1}, 1);
                    List<String> shiftScale = ops.split(st, 1, 2, 2);
                    String scale = ops.sigmoid(ops.add(shiftScale.get(1), ops.scalarLike(st, 2)));
                    String y2 = ops.add(ops.mul(halves.get(1), scale), shiftScale.get(0));
                    String y = ops.concat(1, halves.get(0), y2);
                    // unsqueeze2d: [B, C, H, W] -> [B, C/4, 2H, 2W]
                    String r = ops.reshape(y, 2, 1, 2, 2, 4, 4);
                    String t = ops.transpose(r, 0, 1, 4, 2, 5, 3);
                    String x = ops.reshape(t, 2, 1, 8, 8);
                    // log-det term shares the scale value (fan-out into two consumers)
                    String logdet = ops.reduceSum(ops.log(scale), false, 1, 2, 3);
                    return ops.add(x, ops.reshape(logdet, 2, 1, 1, 1));
                });
        assertBelow(h.finiteDifferenceError(), FD_TOLERANCE, "Glow-like coupling");
    }

    @Test
    void perImageLossGivesEachImageItsOwnGradient() throws Exception {
        Random r = new Random(203);
        float[] w = randoms(r, 4 * 6);
        float[] target = randoms(r, 2 * 6);
        float[] z = randoms(r, 2 * 4);
        float[] batch = run(perImageModel(2, w), z, target, 2);
        for (int image = 0; image < 2; image++) {
            float[] zi = java.util.Arrays.copyOfRange(z, 4 * image, 4 * image + 4);
            float[] ti = java.util.Arrays.copyOfRange(target, 6 * image, 6 * image + 6);
            float[] single = run(perImageModel(1, w), zi, ti, 1);
            // The same float32 operations on the same numbers: equal up to summation order in ORT's kernels.
            assertArrayEquals(single, java.util.Arrays.copyOfRange(batch, 4 * image, 4 * image + 4), 1e-6f,
                    "image " + image);
        }
    }

    private static ModelProto perImageModel(int batch, float[] w) {
        GraphBuilder g = new GraphBuilder("per_image");
        Ops ops = new Ops(g);
        String z = g.inputFloat("z", batch, 4);
        String target = g.inputFloat("target", batch, 6);
        String x = ops.tanh(ops.matMul(z, g.initializer("w", w, 4, 6)));
        String residual = ops.sub(x, target);
        String loss = ops.reduceSum(ops.mul(residual, residual), false, 1);
        assertEquals(Shape.of(batch), g.shape(loss));
        g.output(loss);
        return AdjointBuilder.standard().differentiate(g.build(), loss, List.of("z"));
    }

    private static float[] run(ModelProto m, float[] z, float[] target, int batch) throws Exception {
        try (OrtRunner ort = new OrtRunner(m)) {
            return ort.run(Map.of("z", z, "target", target), Map.of("z", new long[] {batch, 4}, "target",
                    new long[] {batch, 6}), List.of("grad_z")).get("grad_z");
        }
    }

    @Test
    void differentiatesInitialisersAndKeepsForwardOutputs() throws Exception {
        GraphBuilder g = new GraphBuilder("deep_decoder");
        Ops ops = new Ops(g);
        String z = g.inputFloat("z", 1, 3);
        String w = g.initializer("w", new float[] {1, 2, 3, 4, 5, 6}, 3, 2);
        String y = ops.matMul(z, w);
        String loss = ops.reduceSumAll(y);
        g.output(y);
        g.output(loss);
        ModelProto m = AdjointBuilder.standard().differentiate(g.build(), loss, List.of("w", "z"));
        List<String> outs = m.getGraph().getOutputList().stream().map(v -> v.getName()).toList();
        assertEquals(List.of(y, loss, "grad_w", "grad_z"), outs);
        try (OrtRunner ort = new OrtRunner(m)) {
            Map<String, float[]> r = ort.run(Map.of("z", new float[] {1, 2, 3}), Map.of("z", new long[] {1, 3}),
                    List.of("grad_w", "grad_z"));
            // d sum(z w) / dw[i][j] = z[i]; / dz[i] = sum_j w[i][j]: exact small integers.
            assertArrayEquals(new float[] {1, 1, 2, 2, 3, 3}, r.get("grad_w"));
            assertArrayEquals(new float[] {3, 7, 11}, r.get("grad_z"));
        }
    }

    @Test
    void seededVjpIsTheTransposeApplied() throws Exception {
        // y = z W, seed v: J^T v = W v (per row); exact small integers.
        GraphBuilder g = new GraphBuilder("vjp");
        Ops ops = new Ops(g);
        String z = g.inputFloat("z", 1, 3);
        String v = g.inputFloat("v", 1, 2);
        String y = ops.matMul(z, g.initializer("w", new float[] {1, 2, 3, 4, 5, 6}, 3, 2));
        Map<String, String> grads = AdjointBuilder.standard().appendVjp(g, y, v, List.of("z"));
        g.output(grads.get("z"));
        try (OrtRunner ort = new OrtRunner(g.build())) {
            float[] r = ort.run(Map.of("z", new float[] {7, 8, 9}, "v", new float[] {1, -1}),
                    Map.of("z", new long[] {1, 3}, "v", new long[] {1, 2}), List.of(grads.get("z")))
                    .get(grads.get("z"));
            assertArrayEquals(new float[] {-1, -1, -1}, r);
        }
        assertThrows(IllegalArgumentException.class,
                () -> AdjointBuilder.standard().appendVjp(g, y, z, List.of("z")));
    }

    @Test
    void inputThatDoesNotReachTheOutputGetsZeros() throws Exception {
        GraphBuilder g = new GraphBuilder("unused");
        Ops ops = new Ops(g);
        String a = g.inputFloat("a", 2, 2);
        String b = g.inputFloat("b", 3);
        g.output(ops.exp(b));
        String loss = ops.reduceSumAll(ops.mul(a, a));
        g.output(loss);
        ModelProto m = AdjointBuilder.standard().differentiate(g.build(), loss, List.of("a", "b"));
        try (OrtRunner ort = new OrtRunner(m)) {
            Map<String, float[]> r = ort.run(Map.of("a", new float[] {1, -2, 3, 0.5f}, "b", new float[] {1, 2, 3}),
                    Map.of("a", new long[] {2, 2}, "b", new long[] {3}), List.of("grad_a", "grad_b"));
            assertArrayEquals(new float[] {2, -4, 6, 1}, r.get("grad_a"));
            assertArrayEquals(new float[] {0, 0, 0}, r.get("grad_b"));
        }
    }

    @Test
    void refusesAnUnsupportedOperatorOnThePathNamingOpAndNode() {
        GraphBuilder g = new GraphBuilder("sin");
        String z = g.inputFloat("z", 2, 3);
        String a = g.node("Sin", List.of(z), "wave");
        String loss = new Ops(g).reduceSumAll(a);
        g.output(loss);
        String node = g.nodes().get(0).getName();
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> AdjointBuilder.standard().differentiate(g.build(), loss, List.of("z")));
        assertTrue(e.getMessage().contains("Sin") && e.getMessage().contains("'" + node + "'"), e.getMessage());
    }

    @Test
    void acceptsAnUnsupportedOperatorOffThePath() {
        GraphBuilder g = new GraphBuilder("sin_off_path");
        Ops ops = new Ops(g);
        String z = g.inputFloat("z", 2, 3);
        String c = g.inputFloat("c", 2, 3);
        String loss = ops.reduceSumAll(ops.mul(z, g.node("Sin", List.of(c))));
        g.output(loss);
        ModelProto m = AdjointBuilder.standard().differentiate(g.build(), loss, List.of("z"));
        assertTrue(m.getGraph().getOutputList().stream().anyMatch(v -> v.getName().equals("grad_z")));
    }

    @Test
    void refusesWrapPadAndVariableExponent() {
        GraphBuilder g = new GraphBuilder("refused");
        Ops ops = new Ops(g);
        String z = g.inputFloat("z", 6);
        // wrap is Pad-19's mode: the shape is known, the adjoint is not written
        String wrapped = g.node("Pad", List.of(z, g.constantInts("pads", 2, 2)), "wrapped",
                io.flowrecon.adjoint.onnx.Attrs.s("mode", "wrap"));
        String loss1 = ops.reduceSumAll(wrapped);
        String loss2 = ops.reduceSumAll(ops.pow(g.scalar("two", DataType.FLOAT, 2), z));
        ModelProto m = g.build();
        UnsupportedOperationException pad = assertThrows(UnsupportedOperationException.class,
                () -> AdjointBuilder.standard().differentiate(m, loss1, List.of("z")));
        assertTrue(pad.getMessage().contains("Pad") && pad.getMessage().contains("'wrap'"), pad.getMessage());
        UnsupportedOperationException pow = assertThrows(UnsupportedOperationException.class,
                () -> AdjointBuilder.standard().differentiate(m, loss2, List.of("z")));
        assertTrue(pow.getMessage().contains("Pow") && pow.getMessage().contains("constant exponent"),
                pow.getMessage());
    }

    @Test
    void aWrongRuleFailsTheFiniteDifferenceCheck() throws Exception {
        // Guards the harness: Sigmoid's derivative taken as s (1 + s) instead of s (1 - s) must be caught.
        OperatorTable wrong = OperatorTable.standard().withVjp("Sigmoid", c -> {
            List<String> g = c.noGrads();
            g.set(0, c.ops().mul(c.dy(), c.ops().mul(c.out(0), c.ops().add(c.scalar(c.out(0), 1), c.out(0)))));
            return g;
        });
        double err = new GradientHarness(204).input("x", 3, 4).wrt("x").operators(wrong)
                .body((g, ops, in) -> ops.sigmoid(in.get("x"))).finiteDifferenceError();
        assertTrue(err > 0.1, "a wrong Sigmoid rule went unnoticed: error " + err);
    }

    @Test
    void refusesNonFloatingWrt() {
        GraphBuilder g = new GraphBuilder("ints");
        String i = g.input("i", DataType.INT64, 3);
        String x = g.inputFloat("x", 3);
        String loss = new Ops(g).reduceSumAll(x);
        g.output(loss);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AdjointBuilder.standard().differentiate(g.build(), loss, List.of(i)));
        assertTrue(e.getMessage().startsWith("wrt: 'i'"), e.getMessage());
    }

    private static float[] randoms(Random r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (2 * r.nextDouble() - 1);
        }
        return v;
    }
}
