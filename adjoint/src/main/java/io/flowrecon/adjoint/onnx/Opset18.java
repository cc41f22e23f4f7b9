package io.flowrecon.adjoint.onnx;

import io.flowrecon.adjoint.onnx.proto.AttributeProto;
import io.flowrecon.adjoint.onnx.proto.NodeProto;
import java.util.Arrays;
import java.util.Set;

/**
 * Reads opset-18 models by rewriting the nodes whose form changed in opset 18 to their opset-17 form, the opset
 * of the graphs we build (ONNX Changelog, opset 18): the reductions other than ReduceSum take their axes as an
 * input, Split gains {@code num_outputs}, Pad an {@code axes} input, Resize {@code antialias}, {@code axes} and
 * {@code keep_aspect_ratio_policy}. The meaning is unchanged where an opset-17 form exists; the rest (antialiased
 * or aspect-preserving Resize) is refused, naming the node.
 */
final class Opset18 {
    static final long VERSION = 18;

    private static final Set<String> AXES_INPUT_REDUCTIONS = Set.of("ReduceMean", "ReduceMax", "ReduceMin",
            "ReduceProd", "ReduceL1", "ReduceL2", "ReduceLogSum", "ReduceLogSumExp", "ReduceSumSquare");

    private Opset18() {
    }

    /** The opset-17 form of {@code node}; constants it needs are added to {@code g} first. */
    static NodeProto toOpset17(NodeProto node, GraphBuilder g) {
        if (!node.getDomain().isEmpty() && !node.getDomain().equals("ai.onnx")) {
            return node;
        }
        if (AXES_INPUT_REDUCTIONS.contains(node.getOpType())) {
            return reduction(node, g);
        }
        return switch (node.getOpType()) {
            case "Split" -> split(node, g);
            case "Pad" -> pad(node, g);
            case "Resize" -> resize(node, g);
            default -> node;
        };
    }

    private static NodeProto reduction(NodeProto node, GraphBuilder g) {
        long[] axes = node.getInputCount() > 1 && !node.getInput(1).isEmpty()
                ? constant(node, g, node.getInput(1), "axes") : new long[0];
        NodeProto.Builder b = withoutAttributes(node, "noop_with_empty_axes", "axes").clearInput()
                .addInput(node.getInput(0));
        if (axes.length == 0 && Attrs.getInt(node, "noop_with_empty_axes", 0) != 0) {
            return b.clearAttribute().setOpType("Identity").build();
        }
        if (axes.length > 0) {
            b.addAttribute(Attrs.ints("axes", axes));
        }
        return b.build();
    }

    /** num_outputs without a split input: equal parts of ceil(dim / n), the last one smaller. */
    private static NodeProto split(NodeProto node, GraphBuilder g) {
        if (Attrs.find(node, "num_outputs").isEmpty()) {
            return node;
        }
        NodeProto.Builder b = withoutAttributes(node, "num_outputs");
        boolean hasSizes = node.getInputCount() > 1 && !node.getInput(1).isEmpty();
        Shape x = g.shape(node.getInput(0));
        int axis = x.axis(Attrs.getInt(node, "axis", 0), Attrs.describe(node));
        long parts = Attrs.getInt(node, "num_outputs", 0);
        long dim = x.dim(axis);
        if (hasSizes || dim % parts == 0) {
            return b.build();
        }
        long chunk = (dim + parts - 1) / parts;
        long[] sizes = new long[(int) parts];
        Arrays.fill(sizes, chunk);
        sizes[sizes.length - 1] = dim - chunk * (parts - 1);
        return b.clearInput().addInput(node.getInput(0)).addInput(g.constantInts("split", sizes)).build();
    }

    /** An axes input: the pads of the named axes spread to [begin of every axis, end of every axis]. */
    private static NodeProto pad(NodeProto node, GraphBuilder g) {
        if (node.getInputCount() < 4 || node.getInput(3).isEmpty()) {
            return node;
        }
        int r = g.shape(node.getInput(0)).rank();
        long[] axes = constant(node, g, node.getInput(3), "axes");
        long[] pads = constant(node, g, node.getInput(1), "pads");
        if (pads.length != 2 * axes.length) {
            throw new IllegalArgumentException(Attrs.describe(node) + ": pads has " + pads.length
                    + " entries, expected " + 2 * axes.length + " for axes " + Arrays.toString(axes));
        }
        long[] full = new long[2 * r];
        for (int j = 0; j < axes.length; j++) {
            int a = g.shape(node.getInput(0)).axis(axes[j], Attrs.describe(node));
            full[a] = pads[j];
            full[a + r] = pads[j + axes.length];
        }
        NodeProto.Builder b = node.toBuilder().clearInput().addInput(node.getInput(0))
                .addInput(g.constantInts("pads", full));
        if (node.getInputCount() > 2) {
            b.addInput(node.getInput(2));
        }
        return b.build();
    }

    private static NodeProto resize(NodeProto node, GraphBuilder g) {
        if (Attrs.getInt(node, "antialias", 0) != 0) {
            throw new IllegalArgumentException(Attrs.describe(node) + ": antialias=1 is not supported");
        }
        String policy = Attrs.getString(node, "keep_aspect_ratio_policy", "stretch");
        if (!policy.equals("stretch")) {
            throw new IllegalArgumentException(Attrs.describe(node) + ": keep_aspect_ratio_policy '" + policy
                    + "' is not supported (stretch)");
        }
        long[] axes = Attrs.getInts(node, "axes");
        int r = g.shape(node.getInput(0)).rank();
        for (int i = 0; axes != null && i < axes.length; i++) {
            if (axes.length != r || (axes[i] < 0 ? axes[i] + r : axes[i]) != i) {
                throw new IllegalArgumentException(Attrs.describe(node) + ": axes " + Arrays.toString(axes)
                        + " is supported only as every axis in order");
            }
        }
        return withoutAttributes(node, "antialias", "keep_aspect_ratio_policy", "axes").build();
    }

    private static long[] constant(NodeProto node, GraphBuilder g, String name, String what) {
        return Tensors.toLongs(g.constant(name).orElseThrow(() -> new IllegalArgumentException(
                Attrs.describe(node) + ": " + what + " '" + name + "' must be a constant")));
    }

    private static NodeProto.Builder withoutAttributes(NodeProto node, String... names) {
        Set<String> dropped = Set.of(names);
        NodeProto.Builder b = node.toBuilder().clearAttribute();
        for (AttributeProto a : node.getAttributeList()) {
            if (!dropped.contains(a.getName())) {
                b.addAttribute(a);
            }
        }
        return b;
    }
}
