package io.flowrecon.adjoint;

import static io.flowrecon.adjoint.GradientHarness.assertBelow;

import io.flowrecon.adjoint.onnx.Attrs;
import io.flowrecon.adjoint.onnx.proto.TensorProto.DataType;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Central finite-difference tests of every rule, all differentiable inputs at once, along a random direction.
 * ONNX Runtime has no float64 Conv, so the losses are float32: with h in {1e-2, 3e-3, 1e-3} the truncation
 * error (~h^2 |f'''|) and the rounding error (~1e-7 |L| / h) cross near h = 3e-3, where both are around 1e-4
 * relative for these O(1)-curvature functions. We take the best h and require 2e-3: a wrong rule (a missing
 * factor, a wrong sign or index) is off by O(0.1-1).
 */
class VjpRulesFiniteDifferenceTest {
    static final double TOLERANCE = 2e-3;

    static Stream<Case> cases() {
        return Stream.of(
                unary("Exp", -1, 1),
                unary("Log", 0.5, 2),
                unary("Sqrt", 0.5, 2),
                unary("Sigmoid", -2, 2),
                unary("Tanh", -2, 2),
                unary("Softplus", -2, 2),
                unary("Neg", -1, 1),
                unary("Identity", -1, 1),
                new Case("Relu", () -> new GradientHarness(101).inputAwayFromZero("x", 3, 5).wrt("x")
                        .body((g, ops, in) -> ops.relu(in.get("x")))),
                new Case("LeakyRelu alpha 0.2", () -> new GradientHarness(102).inputAwayFromZero("x", 3, 5).wrt("x")
                        .body((g, ops, in) -> ops.leakyRelu(in.get("x"), 0.2f))),
                new Case("Clip [-0.5, 0.5]", () -> new GradientHarness(103)
                        // values keep 0.1 away from the bounds, where Clip has kinks
                        .input("x", clipFriendly(new java.util.Random(5)), 3, 6).wrt("x")
                        .body((g, ops, in) -> g.node("Clip", List.of(in.get("x"),
                                g.scalar("lo", DataType.FLOAT, -0.5), g.scalar("hi", DataType.FLOAT, 0.5))))),
                new Case("Clip with max only", () -> new GradientHarness(104)
                        .input("x", clipFriendly(new java.util.Random(6)), 3, 6).wrt("x")
                        .body((g, ops, in) -> g.node("Clip", List.of(in.get("x"), "",
                                g.scalar("hi", DataType.FLOAT, 0.5))))),
                new Case("Pow, constant exponent 2.5", () -> new GradientHarness(105).input("x", 0.5, 2, 3, 4)
                        .wrt("x").body((g, ops, in) -> ops.pow(in.get("x"), g.scalar("p", DataType.FLOAT, 2.5)))),
                new Case("Pow, int64 exponent 3", () -> new GradientHarness(106).input("x", 3, 4).wrt("x")
                        .body((g, ops, in) -> ops.pow(in.get("x"), g.constantInt64s("p", new long[] {3})))),
                new Case("Add both, broadcast", () -> binary(107, "Add", -1, 1)),
                new Case("Sub both, broadcast", () -> binary(108, "Sub", -1, 1)),
                new Case("Mul both, broadcast", () -> binary(109, "Mul", -1, 1)),
                new Case("Div both, broadcast", () -> binary(110, "Div", 0.5, 2)),
                new Case("Mul of a value by itself", () -> new GradientHarness(111).input("x", 3, 4).wrt("x")
                        .body((g, ops, in) -> ops.mul(in.get("x"), in.get("x")))),
                new Case("Sum of three, broadcast", () -> new GradientHarness(112).input("a", 2, 3, 4)
                        .input("b", 4).input("c", 3, 1).wrt("a", "b", "c")
                        .body((g, ops, in) -> g.node("Sum", List.of(in.get("a"), in.get("b"), in.get("c"))))),
                new Case("Where both branches, broadcast", () -> new GradientHarness(113).input("c", 3, 4)
                        .input("x", 1, 4).input("y", 3, 1).wrt("x", "y")
                        .body((g, ops, in) -> ops.where(g.node("Greater", List.of(in.get("c"),
                                g.scalar("zero", DataType.FLOAT, 0))), in.get("x"), in.get("y")))),
                new Case("MatMul both, batched", () -> new GradientHarness(114).input("a", 2, 3, 4)
                        .input("b", 2, 4, 5).wrt("a", "b")
                        .body((g, ops, in) -> ops.matMul(in.get("a"), in.get("b")))),
                new Case("Gemm all three, transA", () -> new GradientHarness(115).input("a", 4, 3)
                        .input("b", 4, 5).input("c", 5).wrt("a", "b", "c")
                        .body((g, ops, in) -> ops.gemm(in.get("a"), in.get("b"), in.get("c"), 0.5f, 2f, true,
                                false))),
                new Case("Conv x, w, bias, group 2, stride 2", () -> new GradientHarness(116)
                        .input("x", 2, 4, 6, 5).input("w", 6, 2, 3, 3).input("b", 6).wrt("x", "w", "b")
                        .body((g, ops, in) -> ops.conv(in.get("x"), in.get("w"), in.get("b"), new long[] {2, 2},
                                new long[] {1, 1, 1, 0}, new long[] {1, 1}, 2))),
                new Case("ConvTranspose x, w, bias, stride 2", () -> new GradientHarness(117)
                        .input("x", 2, 3, 3, 4).input("w", 3, 2, 4, 4).input("b", 2).wrt("x", "w", "b")
                        .body((g, ops, in) -> ops.convTranspose(in.get("x"), in.get("w"), in.get("b"),
                                new long[] {2, 2}, new long[] {1, 1, 1, 1}, new long[] {1, 1}, 1,
                                new long[] {0, 1}))),
                new Case("BatchNormalization x, scale, bias", () -> new GradientHarness(118).input("x", 2, 3, 3, 3)
                        .input("s", 3).input("b", 3).input("m", 3).input("v", 0.5, 2, 3).wrt("x", "s", "b")
                        .body((g, ops, in) -> g.node("BatchNormalization", List.of(in.get("x"), in.get("s"),
                                in.get("b"), in.get("m"), in.get("v"))))),
                new Case("InstanceNormalization x, scale, bias", () -> new GradientHarness(119)
                        .input("x", 2, 3, 4, 3).input("s", 3).input("b", 3).wrt("x", "s", "b")
                        .body((g, ops, in) -> g.node("InstanceNormalization", List.of(in.get("x"), in.get("s"),
                                in.get("b")), Attrs.f("epsilon", 1e-3f)))),
                new Case("ReduceSumSquare", () -> new GradientHarness(120).input("x", 2, 3, 4).wrt("x")
                        .body((g, ops, in) -> g.node("ReduceSumSquare", List.of(in.get("x")),
                                Attrs.ints("axes", 1), Attrs.i("keepdims", 0)))),
                new Case("ReduceMean then Exp", () -> new GradientHarness(121).input("x", 2, 3, 4).wrt("x")
                        .body((g, ops, in) -> ops.exp(ops.reduceMean(in.get("x"), false, 2)))),
                new Case("Resize linear then Tanh", () -> new GradientHarness(122).input("x", 1, 2, 3, 3).wrt("x")
                        .body((g, ops, in) -> ops.tanh(LinearRulesDotProductTest.resize(g, in.get("x"), "linear",
                                "pytorch_half_pixel", "round_prefer_floor", 1, 1, 2, 1.5f)))),
                new Case("Shape ops chain then Sigmoid", () -> new GradientHarness(123).input("x", 2, 6, 4).wrt("x")
                        .body((g, ops, in) -> {
                            List<String> p = ops.split(in.get("x"), 1, 2, 4);
                            String t = ops.transpose(ops.pad(p.get(1), 0, 1, 0, 0, 0, 2), 0, 2, 1);
                            String s = ops.slice(t, new long[] {1}, new long[] {6}, new long[] {2});
                            return ops.sigmoid(ops.concat(1, ops.reshape(s, 2, -1), ops.reshape(p.get(0), 2, -1)));
                        })),
                new Case("Flatten, Squeeze, Unsqueeze, ReduceSum, nearest Resize, Identity then Exp",
                        () -> new GradientHarness(125).input("x", 2, 1, 3, 4).wrt("x")
                        .body((g, ops, in) -> {
                            String r = LinearRulesDotProductTest.resize(g, ops.squeeze(in.get("x"), 1), "nearest",
                                    "asymmetric", "floor", 1, 2, 1.5f);
                            String f = g.node("Flatten", List.of(ops.unsqueeze(r, 1)), Attrs.i("axis", 2));
                            return ops.exp(ops.identity(ops.reduceSum(f, true, 0)));
                        })),
                new Case("Strided Slice then Tanh", () -> new GradientHarness(126).input("x", 3, 8).wrt("x")
                        .body((g, ops, in) -> ops.tanh(g.node("Slice", List.of(in.get("x"),
                                g.constantInts("s", -1), g.constantInts("e", 0), g.constantInts("a", 1),
                                g.constantInts("st", -2)))))),
                new Case("Constant operand", () -> new GradientHarness(124).input("x", 2, 3).wrt("x")
                        .body((g, ops, in) -> ops.mul(in.get("x"), g.constantFloats("k",
                                new float[] {1, 2, 3}, 3)))),
                unary("Erf", -2, 2),
                new Case("HardSigmoid alpha 0.3", () -> new GradientHarness(136)
                        // the kinks (0.3 x + 0.5 = 0 or 1) are at x = -1.67 and 1.67, outside the inputs
                        .input("x", -1.4, 1.4, 3, 5).wrt("x")
                        .body((g, ops, in) -> ops.unary("HardSigmoid", in.get("x"), Attrs.f("alpha", 0.3f)))),
                // kinks at -3 and 3, outside the inputs
                new Case("HardSwish", () -> new GradientHarness(137).input("x", -2.8, 2.8, 3, 5).wrt("x").body((g, ops, in) -> ops.unary("HardSwish", in.get("x")))),
                new Case("Selu", () -> new GradientHarness(138).inputAwayFromZero("x", 3, 5).wrt("x")
                        .body((g, ops, in) -> ops.unary("Selu", in.get("x")))),
                new Case("PRelu x and per-channel slope", () -> new GradientHarness(139)
                        .inputAwayFromZero("x", 2, 3, 2, 2).input("s", 3, 1, 1).wrt("x", "s")
                        .body((g, ops, in) -> g.node("PRelu", List.of(in.get("x"), in.get("s"))))),
                unary("Reciprocal", 0.5, 2),
                unary("Softsign", -2, 2),
                new Case("Abs", () -> new GradientHarness(127).inputAwayFromZero("x", 3, 5).wrt("x")
                        .body((g, ops, in) -> ops.unary("Abs", in.get("x")))),
                new Case("Elu alpha 0.7", () -> new GradientHarness(128).inputAwayFromZero("x", 3, 5).wrt("x")
                        .body((g, ops, in) -> ops.unary("Elu", in.get("x"), Attrs.f("alpha", 0.7f)))),
                new Case("ReduceL2 keepdims", () -> new GradientHarness(129).input("x", 2, 3, 4).wrt("x")
                        .body((g, ops, in) -> g.node("ReduceL2", List.of(in.get("x")), Attrs.ints("axes", 1)))),
                new Case("ReduceL1", () -> new GradientHarness(130).inputAwayFromZero("x", 2, 3, 4).wrt("x")
                        .body((g, ops, in) -> g.node("ReduceL1", List.of(in.get("x")), Attrs.ints("axes", 0, 2),
                                Attrs.i("keepdims", 0)))),
                new Case("ReduceLogSumExp", () -> new GradientHarness(131).input("x", 2, 3, 4).wrt("x")
                        .body((g, ops, in) -> g.node("ReduceLogSumExp", List.of(in.get("x")),
                                Attrs.ints("axes", -1), Attrs.i("keepdims", 0)))),
                new Case("Softmax axis 1", () -> new GradientHarness(132).input("x", 2, 4, 3).wrt("x")
                        .body((g, ops, in) -> g.node("Softmax", List.of(in.get("x")), Attrs.i("axis", 1)))),
                new Case("LogSoftmax", () -> new GradientHarness(133).input("x", 3, 5).wrt("x")
                        .body((g, ops, in) -> g.node("LogSoftmax", List.of(in.get("x"))))),
                new Case("LayerNormalization x, scale, bias, axis -2", () -> new GradientHarness(134)
                        .input("x", 2, 3, 4, 5).input("s", 4, 5).input("b", 5).wrt("x", "s", "b")
                        .body((g, ops, in) -> g.node("LayerNormalization", List.of(in.get("x"), in.get("s"),
                                in.get("b")), Attrs.i("axis", -2), Attrs.f("epsilon", 1e-3f)))),
                new Case("Expand, Tile, Gather, DepthToSpace, reflect Pad then Tanh", () -> new GradientHarness(135)
                        .input("x", 1, 4, 3, 1).wrt("x")
                        .body((g, ops, in) -> {
                            String e = g.node("Expand", List.of(in.get("x"), g.constantInts("s", 2, 4, 3, 2)));
                            String t = g.node("Tile", List.of(e, g.constantInts("r", 1, 2, 1, 1)));
                            String d = g.node("DepthToSpace", List.of(t), Attrs.i("blocksize", 2),
                                    Attrs.s("mode", "CRD"));
                            String p = g.node("Pad", List.of(d, g.constantInts("p", 0, 0, 1, 2, 0, 0, 2, 1)),
                                    Attrs.s("mode", "reflect"));
                            return ops.tanh(g.node("Gather", List.of(p, g.constantInt64s("i",
                                    new long[] {0, 2, 2}, 3)), Attrs.i("axis", 2)));
                        })));
    }

    private static Case unary(String op, double lo, double hi) {
        return new Case(op, () -> new GradientHarness(op.hashCode()).input("x", lo, hi, 3, 5).wrt("x")
                .body((g, ops, in) -> ops.unary(op, in.get("x"))));
    }

    private static GradientHarness binary(long seed, String op, double lo, double hi) {
        return new GradientHarness(seed).input("a", 2, 3, 4).input("b", lo, hi, 3, 1).wrt("a", "b")
                .body((g, ops, in) -> g.node(op, List.of(in.get("a"), in.get("b"))));
    }

    private static java.util.function.DoubleSupplier clipFriendly(java.util.Random r) {
        return () -> {
            double magnitude = r.nextBoolean() ? 0.4 * r.nextDouble() : 0.6 + 0.4 * r.nextDouble();
            return r.nextBoolean() ? magnitude : -magnitude;
        };
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void adjointMatchesCentralDifferences(Case c) throws Exception {
        double err = c.harness().get().finiteDifferenceError();
        System.out.printf("FD %-45s %.2e%n", c.name(), err);
        assertBelow(err, TOLERANCE, c.name());
    }
}
