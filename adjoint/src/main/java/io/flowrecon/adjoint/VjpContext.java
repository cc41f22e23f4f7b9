package io.flowrecon.adjoint;

import io.flowrecon.adjoint.onnx.Attrs;
import io.flowrecon.adjoint.onnx.GraphBuilder;
import io.flowrecon.adjoint.onnx.Ops;
import io.flowrecon.adjoint.onnx.Shape;
import io.flowrecon.adjoint.onnx.ShapeInference;
import io.flowrecon.adjoint.onnx.proto.AttributeProto;
import io.flowrecon.adjoint.onnx.proto.NodeProto;
import io.flowrecon.adjoint.onnx.proto.TensorProto.DataType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntPredicate;

/** What a {@link VjpRule} sees of the node it differentiates, and the builder it emits the adjoint into. */
public final class VjpContext {
    private final NodeProto node;
    private final GraphBuilder graph;
    private final Ops ops;
    private final String[] outputGrads;
    private final IntPredicate needsGrad;

    VjpContext(NodeProto node, GraphBuilder graph, String[] outputGrads, IntPredicate needsGrad) {
        this.node = node;
        this.graph = graph;
        this.ops = new Ops(graph);
        this.outputGrads = outputGrads;
        this.needsGrad = needsGrad;
    }

    public NodeProto node() {
        return node;
    }

    public GraphBuilder graph() {
        return graph;
    }

    public Ops ops() {
        return ops;
    }

    /** Name of input i of the node. */
    public String in(int i) {
        return node.getInput(i);
    }

    public String out(int i) {
        return node.getOutput(i);
    }

    public int inputCount() {
        return node.getInputCount();
    }

    /** Whether input i lies on a path from a differentiated input and so needs an adjoint. */
    public boolean needsGrad(int i) {
        return needsGrad.test(i);
    }

    /** The adjoint of output i, or null where nothing downstream depends on it. */
    public String gradOut(int i) {
        return outputGrads[i];
    }

    /** The adjoint of the (only) output; never null for single-output ops. */
    public String dy() {
        return outputGrads[0];
    }

    /** The adjoint of output i, zeros where nothing downstream uses it (e.g. an unused Split part). */
    public String gradOutOrZeros(int i) {
        return outputGrads[i] != null ? outputGrads[i] : ops.zerosLike(out(i));
    }

    public Shape shape(String value) {
        return graph.shape(value);
    }

    public DataType elemType(String value) {
        return graph.type(value).elemType();
    }

    /** A scalar constant of the element type of {@code like}. */
    public String scalar(String like, double value) {
        return ops.scalarLike(like, value);
    }

    /** Integer contents of constant input i (shape, axes, pads...). */
    public long[] constInput(int i, String what) {
        return ShapeInference.constLongs(node, graph, i, what);
    }

    public long[] optionalConstInput(int i, String what) {
        return ShapeInference.optionalConstLongs(node, graph, i, what);
    }

    public long intAttr(String name, long defaultValue) {
        return Attrs.getInt(node, name, defaultValue);
    }

    public float floatAttr(String name, float defaultValue) {
        return Attrs.getFloat(node, name, defaultValue);
    }

    public String stringAttr(String name, String defaultValue) {
        return Attrs.getString(node, name, defaultValue);
    }

    public long[] intsAttr(String name) {
        return Attrs.getInts(node, name);
    }

    /** Adds a node to the adjoint graph; returns its output name. */
    public String emit(String opType, List<String> inputs, AttributeProto... attrs) {
        return graph.node(opType, inputs, "d_" + opType.toLowerCase(), attrs);
    }

    /** Refuses to differentiate input i, naming the operator and node. */
    public void refuseIfNeeded(int i, String why) {
        if (i < inputCount() && !in(i).isEmpty() && needsGrad(i)) {
            throw refuse("cannot differentiate input " + i + " ('" + in(i) + "'): " + why);
        }
    }

    public UnsupportedOperationException refuse(String why) {
        return new UnsupportedOperationException("adjoint of " + Attrs.describe(node) + ": " + why);
    }

    /** A list of input adjoints with nulls everywhere, to fill in. */
    public List<String> noGrads() {
        return new ArrayList<>(Arrays.asList(new String[inputCount()]));
    }

    /** {@code grad} summed over the axes along which input {@code input} was broadcast, in its shape. */
    public String unbroadcastTo(String grad, int input) {
        return ops.unbroadcast(grad, shape(in(input)));
    }
}
