package io.flowrecon.adjoint.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowrecon.adjoint.check.OrtRunner;
import io.flowrecon.adjoint.onnx.proto.AttributeProto;
import io.flowrecon.adjoint.onnx.proto.ModelProto;
import io.flowrecon.adjoint.onnx.proto.NodeProto;
import io.flowrecon.adjoint.onnx.proto.OperatorSetIdProto;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Opset-18 node forms read as their opset-17 equivalents (ONNX Changelog, opset 18). */
class Opset18Test {
    /** A one-node model: x [2, 7] (float), the node, and constants (int64 initialisers) as given. */
    private static ModelProto opset18(NodeProto node, Map<String, long[]> constants) {
        GraphBuilder g = new GraphBuilder("op18");
        g.inputFloat("x", 2, 7);
        constants.forEach((name, v) -> g.initializer(Tensors.int64s(name, v, v.length)));
        ModelProto.Builder m = g.build().toBuilder();
        m.getGraphBuilder().addNode(node);
        return m.clearOpsetImport().addOpsetImport(OperatorSetIdProto.newBuilder().setVersion(18)).build();
    }

    private static NodeProto node(String op, List<String> in, List<String> out, AttributeProto... attrs) {
        NodeProto.Builder b = NodeProto.newBuilder().setOpType(op).setName(op + "_18").addAllInput(in)
                .addAllOutput(out);
        for (AttributeProto a : attrs) {
            b.addAttribute(a);
        }
        return b.build();
    }

    @Test
    void splitWithNumOutputsMakesTheLastPartSmaller() {
        GraphBuilder g = GraphBuilder.from(opset18(node("Split", List.of("x"), List.of("a", "b", "c"),
                Attrs.i("axis", 1), Attrs.i("num_outputs", 3)), Map.of()));
        assertEquals(Shape.of(2, 3), g.shape("a"));
        assertEquals(Shape.of(2, 3), g.shape("b"));
        assertEquals(Shape.of(2, 1), g.shape("c"));
    }

    @Test
    void reductionAxesInputBecomesTheAttribute() throws Exception {
        GraphBuilder g = GraphBuilder.from(opset18(node("ReduceMean", List.of("x", "axes"), List.of("m"),
                Attrs.i("keepdims", 0)), Map.of("axes", new long[] {-1})));
        g.output("m");
        assertEquals(Shape.of(2), g.shape("m"));
        float[] x = new float[14];
        for (int i = 0; i < x.length; i++) {
            x[i] = i;
        }
        try (OrtRunner ort = new OrtRunner(g.build())) {
            assertArrayEquals(new float[] {3, 10}, ort.run(Map.of("x", x), Map.of("x", new long[] {2, 7}),
                    List.of("m")).get("m"), 1e-6f);
        }
    }

    @Test
    void reductionWithoutAxesAndNoopIsTheIdentity() {
        GraphBuilder g = GraphBuilder.from(opset18(node("ReduceMax", List.of("x"), List.of("m"),
                Attrs.i("noop_with_empty_axes", 1)), Map.of()));
        assertEquals(Shape.of(2, 7), g.shape("m"));
        assertEquals("Identity", g.nodes().get(g.nodes().size() - 1).getOpType());
    }

    @Test
    void padAxesInputSpreadsToEveryAxis() throws Exception {
        GraphBuilder g = GraphBuilder.from(opset18(node("Pad", List.of("x", "pads", "", "axes"), List.of("p"),
                Attrs.s("mode", "reflect")), Map.of("pads", new long[] {2, 1}, "axes", new long[] {-1})));
        g.output("p");
        assertEquals(Shape.of(2, 10), g.shape("p"));
        float[] x = new float[14];
        for (int i = 0; i < x.length; i++) {
            x[i] = i;
        }
        try (OrtRunner ort = new OrtRunner(g.build())) {
            float[] p = ort.run(Map.of("x", x), Map.of("x", new long[] {2, 7}), List.of("p")).get("p");
            assertArrayEquals(new float[] {2, 1, 0, 1, 2, 3, 4, 5, 6, 5}, java.util.Arrays.copyOf(p, 10));
        }
    }

    @Test
    void antialiasedResizeIsRefusedNamingTheNode() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GraphBuilder.from(opset18(
                node("Resize", List.of("x", "", "", "sizes"), List.of("r"), Attrs.s("mode", "linear"),
                        Attrs.i("antialias", 1)), Map.of("sizes", new long[] {2, 3}))));
        assertTrue(e.getMessage().contains("Resize_18") && e.getMessage().contains("antialias"), e.getMessage());
    }

    @Test
    void opsetsBelow13AreRefusedWithTheWayOut() {
        ModelProto m = new GraphBuilder("old").build().toBuilder().clearOpsetImport()
                .addOpsetImport(OperatorSetIdProto.newBuilder().setVersion(9)).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GraphBuilder.from(m));
        assertTrue(e.getMessage().contains("13 to 18") && e.getMessage().contains("version_converter"),
                e.getMessage());
    }
}
