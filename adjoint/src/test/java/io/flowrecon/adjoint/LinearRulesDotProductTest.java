package io.flowrecon.adjoint;

import static io.flowrecon.adjoint.GradientHarness.assertBelow;

import io.flowrecon.adjoint.onnx.Attrs;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Dot-product tests of every linear rule: for y = J u, <J u, w> must equal <u, J^T w> where J^T w is the
 * adjoint the builder emits (J u = y(u) - y(0), so affine bodies count). The difference is measured relative
 * to the Cauchy-Schwarz scale max(|J u| |w|, |u| |J^T w|): what remains is float32 rounding of the terms
 * (about 1e-7 each, growing like the square root of a few hundred terms; we measured at most ~1e-6), so 1e-5
 * leaves a margin, while a wrong stride, pad, dilation or coordinate transform gave 2e-3 to 0.1 when we tried.
 */
class LinearRulesDotProductTest {
    private static final double TOLERANCE = 1e-5;

    static Stream<Case> linearCases() {
        return Stream.of(
                new Case("Conv in x, strides 2, asymmetric pads", () -> new GradientHarness(1)
                        .input("x", 2, 3, 7, 6).input("w", 4, 3, 3, 3).wrt("x")
                        .body((g, ops, in) -> ops.conv(in.get("x"), in.get("w"), null, new long[] {2, 2},
                                new long[] {1, 0, 1, 2}, new long[] {1, 1}, 1))),
                new Case("Conv in x, dilation 2", () -> new GradientHarness(2)
                        .input("x", 1, 2, 8, 7).input("w", 3, 2, 3, 2).wrt("x")
                        .body((g, ops, in) -> ops.conv(in.get("x"), in.get("w"), null, new long[] {1, 2},
                                new long[] {2, 1, 2, 1}, new long[] {2, 2}, 1))),
                new Case("Conv in x, group 2", () -> new GradientHarness(3)
                        .input("x", 2, 4, 6, 6).input("w", 6, 2, 3, 3).wrt("x")
                        .body((g, ops, in) -> ops.conv(in.get("x"), in.get("w"), null, new long[] {1, 1},
                                new long[] {1, 1, 1, 1}, new long[] {1, 1}, 2))),
                new Case("Conv in w, strides 2, group 2", () -> new GradientHarness(4)
                        .input("x", 2, 4, 7, 7).input("w", 6, 2, 3, 3).wrt("w")
                        .body((g, ops, in) -> ops.conv(in.get("x"), in.get("w"), null, new long[] {2, 2},
                                new long[] {1, 1, 0, 0}, new long[] {1, 1}, 2))),
                new Case("Conv in w, auto_pad SAME_UPPER", () -> new GradientHarness(5)
                        .input("x", 1, 2, 5, 6).input("w", 3, 2, 2, 3).wrt("w")
                        .body((g, ops, in) -> g.node("Conv", List.of(in.get("x"), in.get("w")),
                                Attrs.s("auto_pad", "SAME_UPPER"), Attrs.ints("strides", 2, 1)))),
                new Case("Conv1d in x", () -> new GradientHarness(6)
                        .input("x", 2, 3, 9).input("w", 2, 3, 4).wrt("x")
                        .body((g, ops, in) -> ops.conv(in.get("x"), in.get("w"), null, new long[] {2},
                                new long[] {1, 2}, new long[] {1}, 1))),
                new Case("ConvTranspose in x, strides 2, output_padding 1", () -> new GradientHarness(7)
                        .input("x", 2, 3, 4, 5).input("w", 3, 2, 3, 3).wrt("x")
                        .body((g, ops, in) -> ops.convTranspose(in.get("x"), in.get("w"), null, new long[] {2, 2},
                                new long[] {1, 1, 1, 0}, new long[] {1, 1}, 1, new long[] {1, 0}))),
                new Case("ConvTranspose in x, group 2, dilation 2", () -> new GradientHarness(8)
                        .input("x", 1, 4, 4, 4).input("w", 4, 3, 3, 3).wrt("x")
                        .body((g, ops, in) -> ops.convTranspose(in.get("x"), in.get("w"), null, new long[] {3, 2},
                                new long[] {0, 1, 0, 1}, new long[] {2, 2}, 2, new long[] {2, 1}))),
                new Case("ConvTranspose in w, strides 2", () -> new GradientHarness(9)
                        .input("x", 2, 3, 4, 5).input("w", 3, 2, 4, 4).wrt("w")
                        .body((g, ops, in) -> ops.convTranspose(in.get("x"), in.get("w"), null, new long[] {2, 2},
                                new long[] {1, 1, 1, 1}, new long[] {1, 1}, 1, new long[] {1, 1}))),
                new Case("ConvTranspose in w, group 2, dilation 2", () -> new GradientHarness(10)
                        .input("x", 1, 4, 4, 4).input("w", 4, 3, 3, 3).wrt("w")
                        .body((g, ops, in) -> ops.convTranspose(in.get("x"), in.get("w"), null, new long[] {3, 2},
                                new long[] {0, 1, 0, 1}, new long[] {2, 2}, 2, new long[] {2, 1}))),
                new Case("MatMul in a, batched and broadcast", () -> new GradientHarness(11)
                        .input("a", 2, 3, 4, 5).input("b", 5, 6).wrt("a")
                        .body((g, ops, in) -> ops.matMul(in.get("a"), in.get("b")))),
                new Case("MatMul in b, broadcast over a's batch", () -> new GradientHarness(12)
                        .input("a", 2, 3, 4, 5).input("b", 5, 6).wrt("b")
                        .body((g, ops, in) -> ops.matMul(in.get("a"), in.get("b")))),
                new Case("MatMul in a, 1-D a", () -> new GradientHarness(13)
                        .input("a", 5).input("b", 2, 5, 3).wrt("a")
                        .body((g, ops, in) -> ops.matMul(in.get("a"), in.get("b")))),
                new Case("MatMul in b, 1-D b", () -> new GradientHarness(14)
                        .input("a", 2, 4, 5).input("b", 5).wrt("b")
                        .body((g, ops, in) -> ops.matMul(in.get("a"), in.get("b")))),
                new Case("Gemm in A, transA transB", () -> new GradientHarness(15)
                        .input("a", 4, 3).input("b", 5, 4).wrt("a")
                        .body((g, ops, in) -> ops.gemm(in.get("a"), in.get("b"), null, 0.7f, 1f, true, true))),
                new Case("Gemm in B, transB", () -> new GradientHarness(16)
                        .input("a", 3, 4).input("b", 5, 4).wrt("b")
                        .body((g, ops, in) -> ops.gemm(in.get("a"), in.get("b"), null, 0.7f, 1f, false, true))),
                new Case("Gemm in B, transA", () -> new GradientHarness(17)
                        .input("a", 4, 3).input("b", 4, 5).wrt("b")
                        .body((g, ops, in) -> ops.gemm(in.get("a"), in.get("b"), null, 1f, 1f, true, false))),
                new Case("Gemm in C, broadcast row", () -> new GradientHarness(18)
                        .input("a", 3, 4).input("b", 4, 5).input("c", 1, 5).wrt("c")
                        .body((g, ops, in) -> ops.gemm(in.get("a"), in.get("b"), in.get("c"), 1f, 1.3f, false,
                                false))),
                new Case("Reshape", () -> new GradientHarness(19).input("x", 2, 3, 4).wrt("x")
                        .body((g, ops, in) -> ops.reshape(in.get("x"), 4, -1))),
                new Case("Flatten axis 2", () -> new GradientHarness(20).input("x", 2, 3, 4, 2).wrt("x")
                        .body((g, ops, in) -> g.node("Flatten", List.of(in.get("x")), Attrs.i("axis", 2)))),
                new Case("Transpose", () -> new GradientHarness(21).input("x", 2, 3, 4, 5).wrt("x")
                        .body((g, ops, in) -> ops.transpose(in.get("x"), 2, 0, 3, 1))),
                new Case("Split with an unused part", () -> new GradientHarness(22).input("x", 2, 7, 3).wrt("x")
                        .body((g, ops, in) -> {
                            List<String> p = ops.split(in.get("x"), 1, 2, 4, 1);
                            return ops.concat(1, p.get(2), p.get(0));
                        })),
                new Case("Split equal parts, no sizes input", () -> new GradientHarness(23).input("x", 2, 6).wrt("x")
                        .body((g, ops, in) -> {
                            List<String> p = g.node("Split", List.of(in.get("x")), 3, "part", Attrs.i("axis", -1));
                            return ops.add(p.get(0), p.get(2));
                        })),
                new Case("Concat with fan-out", () -> new GradientHarness(24).input("x", 2, 3).input("c", 2, 2)
                        .wrt("x").body((g, ops, in) -> ops.concat(-1, in.get("x"), in.get("c"), in.get("x")))),
                new Case("Slice with negative start", () -> new GradientHarness(25).input("x", 3, 8, 5).wrt("x")
                        .body((g, ops, in) -> ops.slice(in.get("x"), new long[] {-6, 1}, new long[] {7, 100},
                                new long[] {1, 2}))),
                new Case("Slice with steps 2 and -3", () -> new GradientHarness(41).input("x", 2, 9, 7).wrt("x")
                        .body((g, ops, in) -> g.node("Slice", List.of(in.get("x"), g.constantInts("s", 1, -1, 1),
                                g.constantInts("e", 8, -100, 6), g.constantInts("a", 1, 2, 0),
                                g.constantInts("st", 2, -3, 1))))),
                new Case("Pad", () -> new GradientHarness(26).input("x", 2, 3, 4).wrt("x")
                        .body((g, ops, in) -> ops.pad(in.get("x"), 0, 1, 2, 0, 3, 1))),
                new Case("Squeeze and Unsqueeze", () -> new GradientHarness(27).input("x", 2, 1, 3).wrt("x")
                        .body((g, ops, in) -> ops.unsqueeze(ops.squeeze(in.get("x"), 1), 0, 3))),
                new Case("ReduceSum axes 1,3", () -> new GradientHarness(28).input("x", 2, 3, 4, 5).wrt("x")
                        .body((g, ops, in) -> ops.reduceSum(in.get("x"), false, 1, -1))),
                new Case("ReduceSum all axes", () -> new GradientHarness(29).input("x", 2, 3, 4).wrt("x")
                        .body((g, ops, in) -> ops.reduceSumAll(in.get("x")))),
                new Case("ReduceMean keepdims", () -> new GradientHarness(30).input("x", 2, 3, 4).wrt("x")
                        .body((g, ops, in) -> ops.reduceMean(in.get("x"), true, 0, 2))),
                new Case("Resize nearest x2 x3 (half_pixel)", () -> new GradientHarness(31).input("x", 1, 2, 3, 4)
                        .wrt("x").body((g, ops, in) -> resize(g, in.get("x"), "nearest", "half_pixel",
                                "round_prefer_floor", 1, 1, 2, 3))),
                new Case("Resize nearest down 0.6 (asymmetric, floor)", () -> new GradientHarness(32)
                        .input("x", 1, 2, 7, 5).wrt("x").body((g, ops, in) -> resize(g, in.get("x"), "nearest",
                                "asymmetric", "floor", 1, 1, 0.6f, 0.6f))),
                new Case("Resize linear x2 (half_pixel)", () -> new GradientHarness(33).input("x", 2, 2, 3, 4)
                        .wrt("x").body((g, ops, in) -> resize(g, in.get("x"), "linear", "half_pixel",
                                "round_prefer_floor", 1, 1, 2, 2))),
                new Case("Resize linear to sizes (align_corners)", () -> new GradientHarness(34)
                        .input("x", 1, 2, 7, 3).wrt("x").body((g, ops, in) -> g.node("Resize",
                                List.of(in.get("x"), "", "", g.constantInts("sizes", 1, 2, 4, 5)), "resized",
                                Attrs.s("mode", "linear"), Attrs.s("coordinate_transformation_mode",
                                        "align_corners")))),
                new Case("Identity, Neg", () -> new GradientHarness(35).input("x", 3, 4).wrt("x")
                        .body((g, ops, in) -> ops.neg(ops.identity(in.get("x"))))),
                new Case("Add, Sub with broadcast constant", () -> new GradientHarness(36).input("x", 3, 1)
                        .input("c", 2, 3, 4).wrt("x").body((g, ops, in) -> ops.sub(in.get("c"), ops.add(
                                in.get("x"), in.get("x"))))),
                new Case("Mul, Div by a fixed input", () -> new GradientHarness(37).input("x", 3, 4)
                        .input("c", 0.5, 2, 4).wrt("x").body((g, ops, in) -> ops.div(ops.mul(in.get("x"),
                                in.get("c")), in.get("c")))),
                new Case("Sum with broadcast", () -> new GradientHarness(38).input("x", 4).input("c", 3, 4)
                        .wrt("x").body((g, ops, in) -> g.node("Sum", List.of(in.get("x"), in.get("c"),
                                in.get("x"))))),
                new Case("Where in x, broadcast", () -> new GradientHarness(39).input("x", 1, 4).input("c", 3, 4)
                        .input("d", 3, 1).wrt("x").body((g, ops, in) -> ops.where(g.node("Greater",
                                List.of(in.get("c"), g.scalar("zero", io.flowrecon.adjoint.onnx.proto.TensorProto
                                        .DataType.FLOAT, 0))), in.get("x"), in.get("d")))),
                new Case("BatchNormalization in x", () -> new GradientHarness(40).input("x", 2, 3, 4, 4)
                        .input("s", 3).input("b", 3).input("m", 3).input("v", 0.5, 2, 3).wrt("x")
                        .body((g, ops, in) -> g.node("BatchNormalization", List.of(in.get("x"), in.get("s"),
                                in.get("b"), in.get("m"), in.get("v")), Attrs.f("epsilon", 1e-3f)))),
                new Case("Resize cubic x2 (half_pixel, a -0.75)", () -> new GradientHarness(55)
                        .input("x", 1, 2, 4, 5).wrt("x").body((g, ops, in) -> g.node("Resize", List.of(in.get("x"),
                                "", g.constantFloats("scales", new float[] {1, 1, 2, 2}, 4)), "resized",
                                Attrs.s("mode", "cubic"), Attrs.f("cubic_coeff_a", -0.75f),
                                Attrs.s("coordinate_transformation_mode", "half_pixel")))),
                new Case("Resize cubic to sizes (align_corners, exclude_outside)", () -> new GradientHarness(56)
                        .input("x", 1, 2, 5, 4).wrt("x").body((g, ops, in) -> g.node("Resize", List.of(in.get("x"),
                                "", "", g.constantInts("sizes", 1, 2, 7, 9)), "resized", Attrs.s("mode", "cubic"),
                                Attrs.i("exclude_outside", 1), Attrs.s("coordinate_transformation_mode",
                                        "align_corners")))),
                new Case("Pad reflect", () -> new GradientHarness(42).input("x", 2, 3, 4, 5).wrt("x")
                        .body((g, ops, in) -> g.node("Pad", List.of(in.get("x"),
                                g.constantInts("pads", 0, 0, 2, 1, 0, 0, 3, 4)), Attrs.s("mode", "reflect")))),
                new Case("Pad edge", () -> new GradientHarness(43).input("x", 2, 3, 4).wrt("x")
                        .body((g, ops, in) -> g.node("Pad", List.of(in.get("x"),
                                g.constantInts("pads", 0, 3, 1, 0, 0, 2)), Attrs.s("mode", "edge")))),
                new Case("Pad constant, cropping one side", () -> new GradientHarness(44).input("x", 2, 6, 4).wrt("x")
                        .body((g, ops, in) -> g.node("Pad", List.of(in.get("x"),
                                g.constantInts("pads", 0, -2, 1, 0, 1, -1))))),
                new Case("Expand", () -> new GradientHarness(46).input("x", 3, 1, 4).wrt("x")
                        .body((g, ops, in) -> g.node("Expand", List.of(in.get("x"), g.constantInts("s", 2, 3, 5, 4))))),
                new Case("Tile", () -> new GradientHarness(47).input("x", 2, 3, 2).wrt("x")
                        .body((g, ops, in) -> g.node("Tile", List.of(in.get("x"), g.constantInts("r", 1, 2, 3))))),
                new Case("Gather, repeated and negative indices", () -> new GradientHarness(48).input("x", 2, 5, 3)
                        .wrt("x").body((g, ops, in) -> g.node("Gather", List.of(in.get("x"),
                                g.constantInt64s("i", new long[] {4, 0, -1, 2, 2, 1}, 2, 3)), Attrs.i("axis", 1)))),
                new Case("Gather, scalar index", () -> new GradientHarness(49).input("x", 2, 5, 3).wrt("x")
                        .body((g, ops, in) -> g.node("Gather", List.of(in.get("x"),
                                g.constant("i", io.flowrecon.adjoint.onnx.Tensors.int64s("", new long[] {-2}))),
                                Attrs.i("axis", -1)))),
                new Case("DepthToSpace DCR", () -> new GradientHarness(50).input("x", 2, 8, 3, 2).wrt("x")
                        .body((g, ops, in) -> g.node("DepthToSpace", List.of(in.get("x")), Attrs.i("blocksize", 2)))),
                new Case("DepthToSpace CRD (pixel_shuffle)", () -> new GradientHarness(51).input("x", 1, 18, 2, 3)
                        .wrt("x").body((g, ops, in) -> g.node("DepthToSpace", List.of(in.get("x")),
                                Attrs.i("blocksize", 3), Attrs.s("mode", "CRD")))),
                new Case("SpaceToDepth", () -> new GradientHarness(52).input("x", 2, 3, 4, 6).wrt("x")
                        .body((g, ops, in) -> g.node("SpaceToDepth", List.of(in.get("x")), Attrs.i("blocksize", 2)))),
                new Case("Cast float to double and back", () -> new GradientHarness(53).input("x", 3, 4).wrt("x")
                        .body((g, ops, in) -> g.node("Cast", List.of(ops.scale(g.node("Cast", List.of(in.get("x")),
                                Attrs.i("to", 11)), 3.0)), Attrs.i("to", 1)))),
                new Case("Dropout in inference", () -> new GradientHarness(54).input("x", 3, 4).wrt("x")
                        .body((g, ops, in) -> g.node("Dropout", List.of(in.get("x"),
                                g.scalar("ratio", io.flowrecon.adjoint.onnx.proto.TensorProto.DataType.FLOAT, 0.5))))));
    }

    static String resize(io.flowrecon.adjoint.onnx.GraphBuilder g, String x, String mode, String transform,
                         String nearestMode, float... scales) {
        return g.node("Resize", List.of(x, "", g.constantFloats("scales", scales, scales.length)), "resized",
                Attrs.s("mode", mode), Attrs.s("coordinate_transformation_mode", transform),
                Attrs.s("nearest_mode", nearestMode));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("linearCases")
    void adjointIsTheTranspose(Case c) throws Exception {
        double err = c.harness().get().dotProductError();
        System.out.printf("dot %-50s %.2e%n", c.name(), err);
        assertBelow(err, TOLERANCE, c.name());
    }
}
