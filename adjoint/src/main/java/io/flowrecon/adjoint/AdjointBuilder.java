package io.flowrecon.adjoint;

import io.flowrecon.adjoint.onnx.Attrs;
import io.flowrecon.adjoint.onnx.GraphBuilder;
import io.flowrecon.adjoint.onnx.Ops;
import io.flowrecon.adjoint.onnx.Tensors;
import io.flowrecon.adjoint.onnx.proto.ModelProto;
import io.flowrecon.adjoint.onnx.proto.NodeProto;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reverse-mode differentiation of an ONNX graph into ONNX nodes: one walker over the nodes in reverse
 * topological order, one {@link VjpRule} per operator (see {@link OperatorTable}). The adjoint of the differentiated
 * output is seeded with ones, so the result is the gradient of the sum of its elements (a per-image loss [B]
 * gives each image its own gradient). Only nodes on a path from a requested input to the output are
 * differentiated; an operator without a rule on such a path is refused, naming the operator and node.
 */
public final class AdjointBuilder {
    private final OperatorTable operators;

    public AdjointBuilder(OperatorTable operators) {
        this.operators = operators;
    }

    /** The builder with the standard operators. */
    public static AdjointBuilder standard() {
        return new AdjointBuilder(OperatorTable.standard());
    }

    /** The operators this builder differentiates (and infers the shapes of imported graphs with). */
    public OperatorTable operators() {
        return operators;
    }

    /**
     * Returns a model computing the forward graph's outputs and, for each name in {@code wrt} (graph inputs or
     * initialisers), an output {@code grad_<name>} of that value's shape.
     */
    public ModelProto differentiate(ModelProto forward, String output, List<String> wrt) {
        GraphBuilder g = GraphBuilder.from(forward, Map.of(), operators.shapeInference());
        Map<String, String> grads = appendGradients(g, output, wrt);
        for (Map.Entry<String, String> e : grads.entrySet()) {
            String name = "grad_" + e.getKey();
            g.addNode(NodeProto.newBuilder().setOpType("Identity").setName(g.freshName(name + "_node"))
                    .addInput(e.getValue()).addOutput(name).build());
            g.output(name);
        }
        return g.build();
    }

    /**
     * Appends the reverse pass to {@code g} (whose nodes so far are the forward graph) and returns, for each
     * name in {@code wrt} in order, the name of its gradient value. Outputs are not marked; the caller decides.
     * A missing rule is refused before anything is added; a rule refusing an attribute (strided Slice, variable
     * Pow exponent...) throws mid-walk, after which {@code g} holds unused nodes and should be discarded.
     */
    public Map<String, String> appendGradients(GraphBuilder g, String output, List<String> wrt) {
        return appendVjp(g, output, null, wrt);
    }

    /**
     * Like {@link #appendGradients} with the output's adjoint seeded by the value {@code seed} (same shape as
     * the output) instead of ones: the results are vector-Jacobian products J^T seed. A null seed means ones.
     */
    public Map<String, String> appendVjp(GraphBuilder g, String output, String seed, List<String> wrt) {
        List<NodeProto> forward = g.nodes();
        if (!g.has(output) || !Ops.isFloating(g.type(output).elemType())) {
            throw new IllegalArgumentException("output: '" + output + "' is not a floating value of the graph");
        }
        if (seed != null && (!g.has(seed) || !g.shape(seed).equals(g.shape(output)))) {
            throw new IllegalArgumentException("seed: '" + seed + "' must be a value of the output's shape "
                    + g.shape(output));
        }
        if (new HashSet<>(wrt).size() != wrt.size()) {
            throw new IllegalArgumentException("wrt: " + wrt + " names a value more than once");
        }
        for (String w : wrt) {
            if (!g.has(w)) {
                throw new IllegalArgumentException("wrt: '" + w + "' is not a value of the graph");
            }
            if (!Ops.isFloating(g.type(w).elemType())) {
                throw new IllegalArgumentException("wrt: '" + w + "' has type " + g.type(w).elemType()
                        + "; only floating values can be differentiated");
            }
        }
        Set<String> active = forwardActive(g, forward, wrt);
        Set<String> relevant = backwardRelevant(forward, output);
        List<NodeProto> path = new ArrayList<>();
        for (NodeProto n : forward) {
            if (n.getOutputList().stream().anyMatch(o -> active.contains(o) && relevant.contains(o))) {
                if (operators.vjp(n.getOpType()).isEmpty()) {
                    throw new UnsupportedOperationException("cannot differentiate " + Attrs.describe(n)
                            + ": operator " + n.getOpType() + " has no adjoint rule (supported: "
                            + operators.differentiable() + ")");
                }
                path.add(n);
            }
        }

        Map<String, List<String>> contributions = new HashMap<>();
        Ops ops = new Ops(g);
        if (active.contains(output) && seed != null) {
            contributions.computeIfAbsent(output, k -> new ArrayList<>()).add(seed);
        } else if (active.contains(output)) {
            String ones = g.node("ConstantOfShape", List.of(g.constantInts("shape", g.shape(output).dims())),
                    "seed_" + output, Attrs.tensor("value",
                            Tensors.scalar("", g.type(output).elemType(), 1).toBuilder().addDims(1).build()));
            contributions.computeIfAbsent(output, k -> new ArrayList<>()).add(ones);
        }
        for (int k = path.size() - 1; k >= 0; k--) {
            NodeProto n = path.get(k);
            String[] outGrads = new String[n.getOutputCount()];
            boolean any = false;
            for (int i = 0; i < outGrads.length; i++) {
                List<String> c = contributions.get(n.getOutput(i));
                if (c != null) {
                    outGrads[i] = ops.sum(c);
                    any = true;
                }
            }
            if (!any) {
                continue;
            }
            VjpContext ctx = new VjpContext(n, g, outGrads,
                    i -> !n.getInput(i).isEmpty() && active.contains(n.getInput(i)));
            List<String> inGrads = operators.vjp(n.getOpType()).orElseThrow().vjp(ctx);
            for (int i = 0; i < n.getInputCount(); i++) {
                if (!ctx.needsGrad(i)) {
                    continue;
                }
                String grad = i < inGrads.size() ? inGrads.get(i) : null;
                String in = n.getInput(i);
                if (grad == null || !g.shape(grad).equals(g.shape(in))) {
                    throw new IllegalStateException("adjoint rule for " + Attrs.describe(n) + " gave input " + i
                            + " an adjoint of shape " + (grad == null ? "none" : g.shape(grad)) + ", expected "
                            + g.shape(in));
                }
                contributions.computeIfAbsent(in, x -> new ArrayList<>()).add(grad);
            }
        }

        Map<String, String> result = new LinkedHashMap<>();
        for (String w : wrt) {
            List<String> c = contributions.get(w);
            // A value that does not reach the output has a zero gradient.
            result.put(w, c == null ? ops.zerosLike(w) : ops.sum(c));
        }
        return result;
    }

    private static Set<String> forwardActive(GraphBuilder g, List<NodeProto> forward, List<String> wrt) {
        Set<String> active = new HashSet<>(wrt);
        for (NodeProto n : forward) {
            if (n.getInputList().stream().anyMatch(active::contains)) {
                for (String o : n.getOutputList()) {
                    // Integer and boolean results (Shape, Greater...) carry no derivative.
                    if (!o.isEmpty() && g.has(o) && Ops.isFloating(g.type(o).elemType())) {
                        active.add(o);
                    }
                }
            }
        }
        return active;
    }

    private static Set<String> backwardRelevant(List<NodeProto> forward, String output) {
        Set<String> relevant = new HashSet<>();
        relevant.add(output);
        for (int k = forward.size() - 1; k >= 0; k--) {
            NodeProto n = forward.get(k);
            if (n.getOutputList().stream().anyMatch(relevant::contains)) {
                relevant.addAll(n.getInputList());
            }
        }
        return relevant;
    }
}
