package io.flowrecon.api.model.validate;

import com.google.protobuf.InvalidProtocolBufferException;
import io.flowrecon.adjoint.OperatorTable;
import io.flowrecon.adjoint.onnx.GraphBuilder;
import io.flowrecon.adjoint.onnx.Ops;
import io.flowrecon.adjoint.onnx.proto.ModelProto;
import io.flowrecon.adjoint.onnx.proto.NodeProto;
import io.flowrecon.adjoint.onnx.proto.OperatorSetIdProto;
import io.flowrecon.adjoint.onnx.proto.TensorProto;
import io.flowrecon.adjoint.onnx.proto.TensorShapeProto;
import io.flowrecon.adjoint.onnx.proto.ValueInfoProto;
import io.flowrecon.shared.job.ImageShape;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The static checks of an imported generator, cheap enough to run while the upload is answered: it parses,
 * its default-domain opset is one the adjoint reads, every node between z and the image has an adjoint rule
 * (others a shape rule), and it maps one input [batch, latent] to one output [batch, C, H, W] (the output
 * shape by the table's shape inference at batch 1, since exporters often leave it symbolic).
 */
public final class GraphInspector {

    /** The oldest default-domain opset the adjoint reads (Squeeze/ReduceSum axes as inputs). */
    public static final long MIN_OPSET = 13;
    /** The newest the graph reader takes ({@link GraphBuilder#from}: opset-18 nodes are rewritten to 17). */
    public static final long MAX_OPSET = 18;

    private final OperatorTable operators;

    public GraphInspector(OperatorTable operators) {
        this.operators = operators;
    }

    public GraphFacts inspect(byte[] onnx) throws ModelRejectedException {
        ModelProto model;
        try {
            model = ModelProto.parseFrom(onnx);
        } catch (InvalidProtocolBufferException e) {
            throw new ModelRejectedException("generator.onnx does not parse as an ONNX model: " + e.getMessage(), e);
        }
        if (model.getGraph().getNodeCount() == 0) {
            throw new ModelRejectedException("generator.onnx has no graph nodes (not an ONNX model, or an empty one)");
        }
        long opset = opset(model);
        requireKnownOperators(model);
        String latentInput = latentInput(model);
        int latent = latentSize(model, latentInput);
        if (model.getGraph().getOutputCount() != 1) {
            throw new ModelRejectedException("generator.onnx must have one output [batch, C, H, W], it has "
                    + model.getGraph().getOutputCount());
        }
        String output = model.getGraph().getOutput(0).getName();
        GraphBuilder g;
        long[] dims;
        try {
            g = GraphBuilder.from(model, Map.of(latentInput, new long[] {1, latent}), operators.shapeInference());
            dims = g.shape(output).dims();
        } catch (RuntimeException e) {
            throw new ModelRejectedException("generator.onnx: shape inference at batch 1 failed: " + e.getMessage(), e);
        }
        requireAdjoints(g, latentInput, output);
        if (dims.length != 4 || dims[0] != 1) {
            throw new ModelRejectedException("generator.onnx output '" + output + "' must have shape [batch, C, H, W], "
                    + "it has " + Arrays.toString(dims) + " for a batch of 1");
        }
        ImageShape shape;
        try {
            shape = new ImageShape((int) dims[1], (int) dims[2], (int) dims[3]);
        } catch (IllegalArgumentException e) {
            throw new ModelRejectedException("generator.onnx output '" + output + "': " + e.getMessage(), e);
        }
        return new GraphFacts(model, latentInput, output, latent, shape, opset);
    }

    private static long opset(ModelProto model) throws ModelRejectedException {
        for (OperatorSetIdProto o : model.getOpsetImportList()) {
            if (o.getDomain().isEmpty() || o.getDomain().equals("ai.onnx")) {
                if (o.getVersion() < MIN_OPSET || o.getVersion() > MAX_OPSET) {
                    throw new ModelRejectedException("generator.onnx has opset " + o.getVersion()
                            + "; supported: " + MIN_OPSET + " to " + MAX_OPSET
                            + " (export with torch.onnx.export(..., opset_version=" + GraphBuilder.OPSET + "))");
                }
                return o.getVersion();
            }
        }
        throw new ModelRejectedException("generator.onnx imports no default-domain opset");
    }

    /** An operator without even a shape rule: nothing here can read the graph past it. */
    private void requireKnownOperators(ModelProto model) throws ModelRejectedException {
        Set<String> known = operators.opTypes();
        Map<String, String> unsupported = new LinkedHashMap<>();
        List<NodeProto> nodes = model.getGraph().getNodeList();
        for (int i = 0; i < nodes.size(); i++) {
            NodeProto node = nodes.get(i);
            boolean defaultDomain = node.getDomain().isEmpty() || node.getDomain().equals("ai.onnx");
            String op = defaultDomain ? node.getOpType() : node.getDomain() + "." + node.getOpType();
            if (!defaultDomain || !known.contains(op)) {
                unsupported.putIfAbsent(op, nodeName(node, i));
            }
        }
        refuseUnsupported(unsupported);
    }

    /**
     * Every node between z and the image needs an adjoint rule; shape arithmetic off that path (Shape, Gather,
     * Cast of integers, which exporters emit for reshapes) needs only its shape rule. The same path as the
     * adjoint builder's: floating values that depend on z and that the output depends on.
     */
    private void requireAdjoints(GraphBuilder g, String latentInput, String output) throws ModelRejectedException {
        List<NodeProto> nodes = g.nodes();
        Set<String> active = new HashSet<>(Set.of(latentInput));
        for (NodeProto n : nodes) {
            if (n.getInputList().stream().anyMatch(active::contains)) {
                n.getOutputList().stream().filter(o -> !o.isEmpty() && g.has(o) && Ops.isFloating(g.type(o).elemType()))
                        .forEach(active::add);
            }
        }
        Set<String> relevant = new HashSet<>(Set.of(output));
        for (int k = nodes.size() - 1; k >= 0; k--) {
            if (nodes.get(k).getOutputList().stream().anyMatch(relevant::contains)) {
                relevant.addAll(nodes.get(k).getInputList());
            }
        }
        Map<String, String> unsupported = new LinkedHashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            NodeProto n = nodes.get(i);
            boolean onPath = n.getOutputList().stream().anyMatch(o -> active.contains(o) && relevant.contains(o));
            if (onPath && operators.vjp(n.getOpType()).isEmpty()) {
                unsupported.putIfAbsent(n.getOpType(), nodeName(n, i));
            }
        }
        refuseUnsupported(unsupported);
    }

    private void refuseUnsupported(Map<String, String> unsupported) throws ModelRejectedException {
        if (!unsupported.isEmpty()) {
            String which = unsupported.entrySet().stream().map(e -> e.getKey() + " (first at " + e.getValue() + ")")
                    .collect(Collectors.joining(", "));
            throw new ModelRejectedException("generator.onnx uses operator(s) with no adjoint rule: " + which
                    + "; supported operators: " + String.join(", ", operators.differentiable()));
        }
    }

    private static String nodeName(NodeProto node, int index) {
        return "node '" + (node.getName().isEmpty() ? "#" + index : node.getName()) + "'";
    }

    private static String latentInput(ModelProto model) throws ModelRejectedException {
        Set<String> initializers = model.getGraph().getInitializerList().stream().map(t -> t.getName())
                .collect(Collectors.toSet());
        List<String> inputs = new ArrayList<>();
        for (ValueInfoProto input : model.getGraph().getInputList()) {
            if (!initializers.contains(input.getName())) {
                inputs.add(input.getName());
            }
        }
        if (inputs.size() != 1) {
            throw new ModelRejectedException("generator.onnx must have one input z [batch, latent], it has "
                    + inputs.size() + ": " + inputs);
        }
        return inputs.get(0);
    }

    private static int latentSize(ModelProto model, String latentInput) throws ModelRejectedException {
        ValueInfoProto z = model.getGraph().getInputList().stream().filter(v -> v.getName().equals(latentInput))
                .findFirst().orElseThrow();
        if (z.getType().getTensorType().getElemType() != TensorProto.DataType.FLOAT_VALUE) {
            throw new ModelRejectedException("generator.onnx input '" + latentInput + "' must be float32");
        }
        TensorShapeProto shape = z.getType().getTensorType().getShape();
        if (shape.getDimCount() != 2 || !shape.getDim(1).hasDimValue() || shape.getDim(1).getDimValue() < 1) {
            throw new ModelRejectedException("generator.onnx input '" + latentInput + "' must have shape [batch, latent] "
                    + "with a fixed latent size, it has " + describe(shape));
        }
        return Math.toIntExact(shape.getDim(1).getDimValue());
    }

    private static String describe(TensorShapeProto shape) {
        return shape.getDimList().stream().map(d -> d.hasDimValue() ? Long.toString(d.getDimValue())
                : d.getDimParam().isEmpty() ? "?" : d.getDimParam()).collect(Collectors.joining(", ", "[", "]"));
    }
}
