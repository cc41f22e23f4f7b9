package io.flowrecon.adjoint.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.flowrecon.adjoint.check.OnnxChecker;
import io.flowrecon.adjoint.onnx.proto.ModelProto;
import io.flowrecon.adjoint.onnx.proto.TensorProto.DataType;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GraphBuilderTest {
    private static final String NO_CHECKER = "no /usr/bin/python3 with the onnx package (python3-onnx): skipped";

    @TempDir
    Path dir;

    /** A graph using every op family the builder infers, so the checker sees all our attribute forms. */
    private static GraphBuilder sampleGraph() {
        GraphBuilder g = new GraphBuilder("sample");
        Ops ops = new Ops(g);
        String z = g.inputFloat("z", 2, 8);
        String w = g.initializer("w", new float[8 * 32], 8, 32);
        String h = ops.leakyRelu(ops.matMul(z, w), 0.2f);
        String x = ops.reshape(h, -1, 2, 4, 4);
        String k = g.initializer("k", new float[3 * 2 * 3 * 3], 3, 2, 3, 3);
        x = ops.conv(x, k, null, new long[] {1, 1}, new long[] {1, 1, 1, 1}, new long[] {1, 1}, 1);
        String kt = g.initializer("kt", new float[3 * 3 * 4 * 4], 3, 3, 4, 4);
        x = ops.convTranspose(x, kt, null, new long[] {2, 2}, new long[] {1, 1, 1, 1}, new long[] {1, 1}, 1,
                new long[] {0, 0});
        List<String> parts = ops.split(x, 1, 1, 2);
        x = ops.concat(1, parts.get(1), parts.get(0));
        x = ops.pad(ops.slice(x, new long[] {1}, new long[] {7}, new long[] {3}), 0, 0, 1, 0, 0, 0, 0, 1);
        x = ops.transpose(x, 0, 1, 3, 2);
        String scales = g.constantFloats("scales", new float[] {1, 1, 2, 2}, 4);
        x = g.node("Resize", List.of(x, "", scales), "up", Attrs.s("mode", "linear"));
        x = ops.sigmoid(ops.add(x, ops.scalarLike(x, 0.5)));
        String loss = ops.reduceSum(ops.mul(x, x), false, 1, 2, 3);
        g.output(x);
        g.output(loss);
        return g;
    }

    @Test
    void infersEveryShapeOfTheSampleGraph() {
        GraphBuilder g = sampleGraph();
        // conv keeps 4x4; convT stride 2, k 4, pads 1: 2*(4-1)+4-2 = 8; slice W to 6, pad H to 9 and W to 7;
        // transpose -> 7 x 9; resize x2.
        assertEquals(Shape.of(2, 3, 14, 18), g.shape(g.outputNames().get(0)));
        assertEquals(Shape.of(2), g.shape(g.outputNames().get(1)));
        assertEquals(DataType.FLOAT, g.type(g.outputNames().get(1)).elemType());
    }

    @Test
    void writtenModelPassesTheOnnxChecker() throws Exception {
        assumeTrue(OnnxChecker.available(), NO_CHECKER);
        ModelProto m = sampleGraph().build();
        assertEquals(8, m.getIrVersion());
        assertEquals(17, m.getOpsetImport(0).getVersion());
        assertEquals(Optional.empty(), OnnxChecker.problems(m, dir));
    }

    @Test
    void checkerCatchesABrokenModel() throws Exception {
        // Guards the checker test itself: a model with a node consuming an undefined value must fail.
        assumeTrue(OnnxChecker.available(), NO_CHECKER);
        ModelProto good = sampleGraph().build();
        ModelProto bad = good.toBuilder().setGraph(good.getGraph().toBuilder()
                .setNode(0, good.getGraph().getNode(0).toBuilder().setInput(0, "nowhere"))).build();
        assertTrue(OnnxChecker.problems(bad, dir).isPresent());
    }

    @Test
    void roundTripsThroughBytesAndImport() {
        GraphBuilder g = sampleGraph();
        Path file = dir.resolve("m.onnx");
        OnnxFiles.write(g.build(), file);
        GraphBuilder back = GraphBuilder.from(OnnxFiles.read(file));
        assertEquals(g.outputNames(), back.outputNames());
        assertEquals(g.nodes(), back.nodes());
        for (String out : g.outputNames()) {
            assertEquals(g.type(out), back.type(out));
        }
        assertArrayEquals(g.toBytes(), back.toBytes());
    }

    @Test
    void importPinsASymbolicBatchDimension() {
        ModelProto m = sampleGraph().build();
        var input = m.getGraph().getInput(0).toBuilder();
        input.getTypeBuilder().getTensorTypeBuilder().getShapeBuilder().getDimBuilder(0).setDimParam("batch");
        ModelProto symbolic = m.toBuilder().setGraph(m.getGraph().toBuilder().setInput(0, input)).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GraphBuilder.from(symbolic));
        assertTrue(e.getMessage().contains("'batch'"), e.getMessage());
        GraphBuilder pinned = GraphBuilder.from(symbolic, Map.of("z", new long[] {5, 8}));
        assertEquals(Shape.of(5, 3, 14, 18), pinned.shape(pinned.outputNames().get(0)));
    }

    @Test
    void freshNamesNeverCollide() {
        GraphBuilder g = new GraphBuilder("names");
        g.inputFloat("x", 1);
        assertEquals("x_1", g.freshName("x"));
        assertEquals("x_2", g.freshName("x"));
        assertEquals("y", g.freshName("y"));
        assertThrows(IllegalArgumentException.class, () -> g.inputFloat("x", 1));
    }

    @Test
    void refusesShapeMismatchNamingTheNode() {
        GraphBuilder g = new GraphBuilder("bad");
        String a = g.inputFloat("a", 2, 3);
        String b = g.inputFloat("b", 4, 5);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> g.node("MatMul", List.of(a, b)));
        assertTrue(e.getMessage().contains("MatMul"), e.getMessage());
    }

    @Test
    void slicesClampAsTheSpecSays() {
        GraphBuilder g = new GraphBuilder("slice");
        Ops ops = new Ops(g);
        String x = g.inputFloat("x", 10);
        assertEquals(Shape.of(3), g.shape(ops.slice(x, new long[] {-3}, new long[] {Long.MAX_VALUE},
                new long[] {0})));
        String rev = g.node("Slice", List.of(x, g.constantInts("s", 8), g.constantInts("e", -100),
                g.constantInts("a", 0), g.constantInts("st", -3)));
        assertEquals(Shape.of(3), g.shape(rev)); // 8, 5, 2
    }

    @Test
    void foldsTheShapeArithmeticOfExportedReshapes() {
        // The pattern PyTorch's exporter writes for x.view(x.size(0), -1, 4): Shape, Gather, Unsqueeze, Concat.
        GraphBuilder g = new GraphBuilder("exported");
        Ops ops = new Ops(g);
        String x = g.inputFloat("x", 3, 2, 8);
        String shape = g.node("Shape", List.of(x));
        String batch = g.node("Gather", List.of(shape, g.constantInt64s("zero", new long[] {0})),
                Attrs.i("axis", 0));
        String doubled = g.node("Mul", List.of(batch, g.constantInt64s("two", new long[] {2})));
        String half = g.node("Div", List.of(doubled, g.constantInt64s("two_again", new long[] {2})));
        String target = ops.concat(0, ops.unsqueeze(half, 0), g.constantInts("rest", -1, 4));
        String y = g.node("Reshape", List.of(x, target));
        assertEquals(Shape.of(3, 4, 4), g.shape(y));
        assertArrayEquals(new long[] {3, -1, 4}, Tensors.toLongs(g.constant(target).orElseThrow()));
    }

    @Test
    void foldsTheResizeScalesTorchWritesWithoutConstantFolding() {
        // torch.onnx.export(..., do_constant_folding=False) of F.interpolate(x, scale_factor=2) at opset 13:
        // scales = Concat(Constant [1, 1], Constant [2, 2]); and to a size: Concat(Slice(Shape(x)), Cast(sizes)).
        GraphBuilder g = new GraphBuilder("exported");
        String x = g.inputFloat("x", 2, 3, 4, 5);
        String scales = g.node("Concat", List.of(g.constantFloats("ones", new float[] {1, 1}, 2),
                g.constantFloats("twos", new float[] {2, 2}, 2)), Attrs.i("axis", 0));
        String up = g.node("Resize", List.of(x, "", scales), Attrs.s("mode", "nearest"));
        assertEquals(Shape.of(2, 3, 8, 10), g.shape(up));
        String head = g.node("Slice", List.of(g.node("Shape", List.of(up)), g.constantInts("s", 0),
                g.constantInts("e", 2), g.constantInts("a", 0)));
        String size = g.node("Cast", List.of(g.constantFloats("hw", new float[] {7.9f, 12f}, 2)),
                Attrs.i("to", DataType.INT64.getNumber()));
        String sizes = g.node("Concat", List.of(head, size), Attrs.i("axis", 0));
        assertArrayEquals(new long[] {2, 3, 7, 12}, Tensors.toLongs(g.constant(sizes).orElseThrow()),
                "float to int64 Cast truncates toward zero");
        assertEquals(Shape.of(2, 3, 7, 12), g.shape(g.node("Resize", List.of(up, "", "", sizes),
                Attrs.s("mode", "linear"))));
    }

    @Test
    void doesNotFoldFloatValuesBeyondScalesAndSizes() {
        GraphBuilder g = new GraphBuilder("weights");
        String w = g.initializer("w", new float[64], 8, 8);
        assertEquals(Optional.empty(), g.constant(g.node("Reshape", List.of(w, g.constantInts("s", 64)))));
    }

    @Test
    void readsAModelWrittenByTheOnnxLibrary() throws Exception {
        // Written by onnx.helper with the forms we never write ourselves: float_data instead of raw_data, an
        // initialiser also listed as a graph input (IR 3 style), Constant via value_floats, opset 13.
        assumeTrue(OnnxChecker.available(), NO_CHECKER);
        Path file = dir.resolve("foreign.onnx");
        OnnxChecker.runPython(String.join("\n",
                "import onnx, sys",
                "from onnx import helper, TensorProto as T",
                "w = helper.make_tensor('w', T.FLOAT, [4, 6], [0.5] * 24)",
                "nodes = [helper.make_node('MatMul', ['z', 'w'], ['h']),",
                "         helper.make_node('Constant', [], ['b'], value_floats=[1.0] * 6),",
                "         helper.make_node('Add', ['h', 'b'], ['a']),",
                "         helper.make_node('Constant', [], ['s'], value=helper.make_tensor('s', T.INT64, [3],"
                        + " [2, 3, -1])),",
                "         helper.make_node('Reshape', ['a', 's'], ['x']),",
                "         helper.make_node('ReduceSum', ['x'], ['loss'], keepdims=0)]",
                "g = helper.make_graph(nodes, 'foreign',",
                "    [helper.make_tensor_value_info('z', T.FLOAT, [2, 4]),",
                "     helper.make_tensor_value_info('w', T.FLOAT, [4, 6])],",
                "    [helper.make_tensor_value_info('loss', T.FLOAT, [])], [w])",
                "m = helper.make_model(g, opset_imports=[helper.make_opsetid('', 13)])",
                "m.ir_version = 7",
                "onnx.checker.check_model(m)",
                "onnx.save(m, sys.argv[1])"), file);
        GraphBuilder g = GraphBuilder.from(OnnxFiles.read(file));
        assertEquals(List.of("z"), g.inputNames());
        assertEquals(List.of("w"), g.initializerNames());
        assertEquals(Shape.of(2, 3, 2), g.shape("x"));
        assertEquals(Shape.scalar(), g.shape("loss"));
        float[] w = Tensors.toFloats(g.constant("w").orElseThrow());
        assertEquals(0.5f, w[23]);
        assertEquals(Optional.empty(), OnnxChecker.problems(g.build(), dir));
    }
}
