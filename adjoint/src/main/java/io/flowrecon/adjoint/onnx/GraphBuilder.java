package io.flowrecon.adjoint.onnx;

import io.flowrecon.adjoint.OperatorTable;
import io.flowrecon.adjoint.onnx.proto.AttributeProto;
import io.flowrecon.adjoint.onnx.proto.GraphProto;
import io.flowrecon.adjoint.onnx.proto.ModelProto;
import io.flowrecon.adjoint.onnx.proto.NodeProto;
import io.flowrecon.adjoint.onnx.proto.OperatorSetIdProto;
import io.flowrecon.adjoint.onnx.proto.TensorProto;
import io.flowrecon.adjoint.onnx.proto.TensorProto.DataType;
import io.flowrecon.adjoint.onnx.proto.TensorShapeProto;
import io.flowrecon.adjoint.onnx.proto.TypeProto;
import io.flowrecon.adjoint.onnx.proto.ValueInfoProto;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Builds one ONNX graph (IR version 8, default-domain opset 17) node by node, inferring every value's static
 * type as it goes, so that later stages (the adjoint builder, prior builders) can ask any value's shape.
 * Shapes come from an operator table's shape rules (by default {@link OperatorTable#standard()}).
 * Names are unique within the builder: {@link #freshName} hands out unused ones. Not thread-safe.
 */
public final class GraphBuilder implements ShapeInference.Env {
    public static final long IR_VERSION = 8;
    public static final long OPSET = 17;

    private final String graphName;
    private final ShapeInference inference;
    private final List<ValueInfoProto> inputs = new ArrayList<>();
    private final List<String> outputs = new ArrayList<>();
    private final Map<String, TensorProto> initializers = new LinkedHashMap<>();
    private final List<NodeProto> nodes = new ArrayList<>();
    private final Map<String, ValueType> types = new HashMap<>();
    private final Map<String, TensorProto> constants = new HashMap<>();
    private final Map<String, Integer> nameCounters = new HashMap<>();

    public GraphBuilder(String graphName) {
        this(graphName, OperatorTable.standard().shapeInference());
    }

    /** A builder inferring shapes with the given rules (a table with operators of your own). */
    public GraphBuilder(String graphName, ShapeInference inference) {
        this.graphName = graphName;
        this.inference = inference;
    }

    /**
     * Imports a model written elsewhere (or by us): its inputs, initialisers, nodes (in their topological order)
     * and outputs. Every input must have a static shape; the default-domain opset must be 13 to 18 (opset-18 nodes
     * are rewritten to their opset-17 form, see {@link Opset18}).
     */
    public static GraphBuilder from(ModelProto model) {
        return from(model, Map.of());
    }

    /**
     * Like {@link #from(ModelProto)}, fixing the shapes of the named inputs (e.g. a symbolic batch dimension
     * of a model exported elsewhere) to the given static dims.
     */
    public static GraphBuilder from(ModelProto model, Map<String, long[]> staticInputShapes) {
        return from(model, staticInputShapes, OperatorTable.standard().shapeInference());
    }

    /** Like {@link #from(ModelProto, Map)}, inferring shapes with the given rules. */
    public static GraphBuilder from(ModelProto model, Map<String, long[]> staticInputShapes,
                                    ShapeInference inference) {
        long opset = OPSET;
        for (OperatorSetIdProto o : model.getOpsetImportList()) {
            if (o.getDomain().isEmpty() || o.getDomain().equals("ai.onnx")) {
                // Below 13, Squeeze/Unsqueeze/Split/ReduceSum took attributes we read as inputs (and Upsample
                // still existed): onnx.version_converter brings such models to 13.
                if (o.getVersion() < 13 || o.getVersion() > Opset18.VERSION) {
                    throw new IllegalArgumentException("model opset " + o.getVersion() + " is not supported:"
                            + " flowrecon reads default-domain opsets 13 to " + Opset18.VERSION
                            + " (convert older models with onnx.version_converter)");
                }
                opset = o.getVersion();
            }
        }
        GraphProto g = model.getGraph();
        GraphBuilder b = new GraphBuilder(g.getName().isEmpty() ? "graph" : g.getName(), inference);
        for (TensorProto t : g.getInitializerList()) {
            b.initializer(t);
        }
        for (ValueInfoProto vi : g.getInputList()) {
            if (b.initializers.containsKey(vi.getName())) {
                continue; // IR < 4 listed initialisers as inputs too
            }
            long[] fixed = staticInputShapes.get(vi.getName());
            b.input(vi.getName(), fixed != null
                    ? new ValueType(elemType(vi), Shape.of(fixed)) : typeOf(vi));
        }
        for (NodeProto n : g.getNodeList()) {
            b.addNode(opset == Opset18.VERSION ? Opset18.toOpset17(n, b) : n);
        }
        for (ValueInfoProto vi : g.getOutputList()) {
            b.output(vi.getName());
        }
        return b;
    }

    // ---- declaring values ----

    public String input(String name, DataType type, long... dims) {
        return input(name, new ValueType(type, Shape.of(dims)));
    }

    public String inputFloat(String name, long... dims) {
        return input(name, DataType.FLOAT, dims);
    }

    public String input(String name, ValueType type) {
        claim(name);
        inputs.add(valueInfo(name, type));
        types.put(name, type);
        return name;
    }

    /** A float initialiser (weights, operator matrices): stored in the model, overridable by no one. */
    public String initializer(String name, float[] values, long... dims) {
        return initializer(Tensors.floats(name, values, dims));
    }

    /** An initialiser from a ready tensor; its name is the tensor's name. */
    public String initializer(TensorProto tensor) {
        String name = tensor.getName();
        claim(name);
        initializers.put(name, tensor);
        types.put(name, new ValueType(Tensors.dataType(tensor), Tensors.shape(tensor)));
        constants.put(name, tensor);
        return name;
    }

    /** A Constant node holding the tensor (its name is ignored); returns the value's fresh name. */
    public String constant(String hint, TensorProto value) {
        return node("Constant", List.of(), hint, Attrs.tensor("value", value.toBuilder().clearName().build()));
    }

    public String constantFloats(String hint, float[] values, long... dims) {
        return constant(hint, Tensors.floats("", values, dims));
    }

    public String constantInt64s(String hint, long[] values, long... dims) {
        return constant(hint, Tensors.int64s("", values, dims));
    }

    /** A 1-D int64 constant: shapes, axes, pads, starts. */
    public String constantInts(String hint, long... values) {
        return constant(hint, Tensors.int64s("", values, values.length));
    }

    /** A rank-0 constant of a floating type (FLOAT or DOUBLE), e.g. to scale a value of that type. */
    public String scalar(String hint, DataType type, double value) {
        return constant(hint, Tensors.scalar("", type, value));
    }

    // ---- nodes ----

    /** Adds a node with one output, named from the op type; returns the output's name. */
    public String node(String opType, List<String> inputNames, AttributeProto... attrs) {
        return node(opType, inputNames, opType.toLowerCase(), attrs);
    }

    /** Adds a node with one output named after {@code hint}; returns the output's name. */
    public String node(String opType, List<String> inputNames, String hint, AttributeProto... attrs) {
        return nodeMulti(opType, inputNames, List.of(freshName(hint)), attrs).get(0);
    }

    /** Adds a node with {@code outputCount} outputs named after {@code hint}; returns their names. */
    public List<String> node(String opType, List<String> inputNames, int outputCount, String hint,
                             AttributeProto... attrs) {
        List<String> outs = new ArrayList<>();
        for (int i = 0; i < outputCount; i++) {
            outs.add(freshName(hint));
        }
        return nodeMulti(opType, inputNames, outs, attrs);
    }

    private List<String> nodeMulti(String opType, List<String> inputNames, List<String> outs,
                                   AttributeProto... attrs) {
        NodeProto.Builder n = NodeProto.newBuilder().setOpType(opType).setName(freshName(opType + "_node"))
                .addAllInput(inputNames).addAllOutput(outs);
        for (AttributeProto a : attrs) {
            n.addAttribute(a);
        }
        addNode(n.build());
        return outs;
    }

    /** Adds a ready node (from an imported graph or a merge); its inputs must already exist. */
    public void addNode(NodeProto node) {
        for (String in : node.getInputList()) {
            if (!in.isEmpty() && !types.containsKey(in)) {
                throw new IllegalArgumentException(Attrs.describe(node) + ": input '" + in
                        + "' is not defined before it (nodes must come in topological order)");
            }
        }
        if (node.hasName() && !node.getName().isEmpty()) {
            nameCounters.putIfAbsent(node.getName(), 0);
        }
        ShapeInference.Result r;
        try {
            r = inference.infer(node, this);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("graph '" + graphName + "': " + e.getMessage(), e);
        }
        for (int i = 0; i < node.getOutputCount(); i++) {
            String out = node.getOutput(i);
            if (out.isEmpty()) {
                continue;
            }
            claim(out);
            if (i < r.outputs().size() && r.outputs().get(i) != null) {
                types.put(out, r.outputs().get(i));
            }
            if (i < r.constants().size() && r.constants().get(i) != null) {
                constants.put(out, r.constants().get(i));
            }
        }
        nodes.add(node);
    }

    /** Marks a value as a graph output (in call order). */
    public void output(String name) {
        if (!types.containsKey(name)) {
            throw new IllegalArgumentException("output '" + name + "' is not a value of graph '" + graphName + "'");
        }
        if (!outputs.contains(name)) {
            outputs.add(name);
        }
    }

    // ---- queries ----

    @Override
    public ValueType type(String name) {
        ValueType t = types.get(name);
        if (t == null) {
            throw new IllegalArgumentException("'" + name + "' is not a typed value of graph '" + graphName + "'");
        }
        return t;
    }

    public Shape shape(String name) {
        return type(name).shape();
    }

    public boolean has(String name) {
        return types.containsKey(name);
    }

    /** The value of an initialiser or folded constant (Constant, Shape...), if it is one. */
    @Override
    public Optional<TensorProto> constant(String name) {
        return Optional.ofNullable(constants.get(name));
    }

    public boolean isInitializer(String name) {
        return initializers.containsKey(name);
    }

    public List<NodeProto> nodes() {
        return List.copyOf(nodes);
    }

    public List<String> inputNames() {
        return inputs.stream().map(ValueInfoProto::getName).toList();
    }

    public List<String> outputNames() {
        return List.copyOf(outputs);
    }

    public List<String> initializerNames() {
        return List.copyOf(initializers.keySet());
    }

    /** {@code hint} if no value, node or initialiser has that name yet, else hint_1, hint_2, ... */
    public String freshName(String hint) {
        String base = hint.isEmpty() ? "v" : hint;
        Integer n = nameCounters.get(base);
        if (n == null && !types.containsKey(base)) {
            nameCounters.put(base, 0);
            return base;
        }
        int k = n == null ? 0 : n;
        String candidate;
        do {
            k++;
            candidate = base + "_" + k;
        } while (types.containsKey(candidate) || nameCounters.containsKey(candidate));
        nameCounters.put(base, k);
        nameCounters.put(candidate, 0);
        return candidate;
    }

    // ---- output ----

    public ModelProto build() {
        GraphProto.Builder g = GraphProto.newBuilder().setName(graphName).addAllNode(nodes)
                .addAllInitializer(initializers.values()).addAllInput(inputs);
        for (String out : outputs) {
            g.addOutput(valueInfo(out, types.get(out)));
        }
        return ModelProto.newBuilder().setIrVersion(IR_VERSION).setProducerName("flowrecon")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setGraph(g).build();
    }

    public byte[] toBytes() {
        return build().toByteArray();
    }

    // ---- helpers ----

    private void claim(String name) {
        if (name.isEmpty()) {
            throw new IllegalArgumentException("value names must not be empty");
        }
        if (types.containsKey(name) || initializers.containsKey(name)) {
            throw new IllegalArgumentException("graph '" + graphName + "' already has a value named '" + name
                    + "' (values are assigned once)");
        }
        nameCounters.putIfAbsent(name, 0);
    }

    static ValueInfoProto valueInfo(String name, ValueType type) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (long d : type.shape().dims()) {
            shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(type.elemType().getNumber()).setShape(shape))).build();
    }

    private static DataType elemType(ValueInfoProto vi) {
        DataType type = DataType.forNumber(vi.getType().getTensorType().getElemType());
        return type == null ? DataType.UNDEFINED : type;
    }

    static ValueType typeOf(ValueInfoProto vi) {
        TypeProto.Tensor t = vi.getType().getTensorType();
        long[] dims = new long[t.getShape().getDimCount()];
        for (int i = 0; i < dims.length; i++) {
            TensorShapeProto.Dimension d = t.getShape().getDim(i);
            if (!d.hasDimValue()) {
                throw new IllegalArgumentException("input '" + vi.getName() + "' has a symbolic dimension "
                        + (d.hasDimParam() ? "'" + d.getDimParam() + "'" : "") + " at axis " + i
                        + "; flowrecon needs static shapes (fix the batch size before importing)");
            }
            dims[i] = d.getDimValue();
        }
        DataType type = DataType.forNumber(t.getElemType());
        return new ValueType(type == null ? DataType.UNDEFINED : type, Shape.of(Arrays.copyOf(dims, dims.length)));
    }
}
