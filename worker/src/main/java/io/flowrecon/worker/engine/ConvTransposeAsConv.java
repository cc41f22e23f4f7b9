package io.flowrecon.worker.engine;

import io.flowrecon.adjoint.onnx.Attrs;
import io.flowrecon.adjoint.onnx.Tensors;
import io.flowrecon.adjoint.onnx.proto.GraphProto;
import io.flowrecon.adjoint.onnx.proto.ModelProto;
import io.flowrecon.adjoint.onnx.proto.NodeProto;
import io.flowrecon.adjoint.onnx.proto.TensorProto;
import io.flowrecon.adjoint.onnx.proto.TensorProto.DataType;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Rewrites each stride-1 ConvTranspose whose weight is an initialiser as the equal Conv with the kernel
 * transposed and rotated by 180 degrees: ConvTranspose(x, W, pads p) = Conv(x, W', pads k - 1 - p) with
 * W'[o][i][a][b] = W[i][o][k_h - 1 - a][k_w - 1 - b] (Dumoulin &amp; Visin 2016, "A guide to convolution
 * arithmetic for deep learning", section 4.2: the transpose of a unit-stride convolution with padding p is a
 * unit-stride convolution with padding k - 1 - p).
 *
 * <p>Why: the adjoint of every Conv is a ConvTranspose with the same weights (adjoint ConvOperators). ONNX Runtime's
 * CPU ConvTranspose runs as GEMM plus col2im and is kept out of the NCHWc layout that its Conv gets, so each
 * adjoint conv cost up to twice its forward conv (ORT profiler, 3x32x32 Glow: the 98 ConvTranspose nodes took
 * 5.1 ms, the 98 forward Convs of the same work 3.2 ms; after the rewrite both 3.2 ms; docs/BENCHMARKS.md).
 * The rewritten weights are new initialisers (the forward weights stay); the graph's values and outputs keep
 * their names, so nothing downstream notices.
 */
final class ConvTransposeAsConv {

    private ConvTransposeAsConv() {
    }

    /** The model with every rewritable ConvTranspose replaced; the model itself when there is none. */
    static ModelProto rewrite(ModelProto model) {
        GraphProto graph = model.getGraph();
        Map<String, TensorProto> initializers = new HashMap<>();
        Set<String> names = new HashSet<>();
        for (TensorProto t : graph.getInitializerList()) {
            initializers.put(t.getName(), t);
            names.add(t.getName());
        }
        for (NodeProto n : graph.getNodeList()) {
            names.add(n.getName());
            names.addAll(n.getOutputList());
        }
        GraphProto.Builder out = graph.toBuilder();
        Map<String, String> flipped = new HashMap<>();
        boolean changed = false;
        for (int i = 0; i < graph.getNodeCount(); i++) {
            NodeProto n = graph.getNode(i);
            if (!rewritable(n, initializers)) {
                continue;
            }
            String weight = n.getInput(1);
            String convWeight = flipped.get(weight);
            if (convWeight == null) {
                convWeight = fresh(weight + ".as_conv", names);
                out.addInitializer(flip(initializers.get(weight), convWeight));
                flipped.put(weight, convWeight);
            }
            out.setNode(i, asConv(n, initializers.get(weight), convWeight));
            changed = true;
        }
        return changed ? model.toBuilder().setGraph(out).build() : model;
    }

    private static boolean rewritable(NodeProto n, Map<String, TensorProto> initializers) {
        if (!n.getOpType().equals("ConvTranspose") || !n.getDomain().isEmpty() || n.getInputCount() < 2) {
            return false;
        }
        TensorProto w = initializers.get(n.getInput(1));
        if (w == null || Tensors.dataType(w) != DataType.FLOAT || w.getDimsCount() != 4) {
            return false;
        }
        if (Attrs.getInt(n, "group", 1) != 1 || Attrs.find(n, "output_shape").isPresent()
                || !Attrs.getString(n, "auto_pad", "NOTSET").equals("NOTSET")) {
            return false;
        }
        if (!allEqual(ints(n, "strides"), 1) || !allEqual(ints(n, "dilations"), 1)
                || !allEqual(ints(n, "output_padding"), 0)) {
            return false;
        }
        if (ints(n, "pads").length != 0 && ints(n, "pads").length != 4) {
            return false;
        }
        long[] pads = pads(n);
        for (int axis = 0; axis < 2; axis++) {
            long k = w.getDims(2 + axis);
            if (pads[axis] > k - 1 || pads[axis + 2] > k - 1) {
                return false; // Conv would need negative pads
            }
        }
        return true;
    }

    private static NodeProto asConv(NodeProto n, TensorProto w, String convWeight) {
        long[] pads = pads(n);
        long kh = w.getDims(2);
        long kw = w.getDims(3);
        NodeProto.Builder conv = NodeProto.newBuilder().setOpType("Conv").setName(n.getName())
                .addInput(n.getInput(0)).addInput(convWeight).addAllOutput(n.getOutputList())
                .addAttribute(Attrs.ints("kernel_shape", kh, kw))
                .addAttribute(Attrs.ints("pads", kh - 1 - pads[0], kw - 1 - pads[1], kh - 1 - pads[2], kw - 1 - pads[3]));
        if (n.getInputCount() > 2 && !n.getInput(2).isEmpty()) {
            conv.addInput(n.getInput(2));
        }
        return conv.build();
    }

    /** [in, out, kh, kw] (ConvTranspose) -> [out, in, kh, kw] rotated by 180 degrees (Conv). */
    static TensorProto flip(TensorProto w, String name) {
        int in = Math.toIntExact(w.getDims(0));
        int out = Math.toIntExact(w.getDims(1));
        int kh = Math.toIntExact(w.getDims(2));
        int kw = Math.toIntExact(w.getDims(3));
        float[] src = Tensors.toFloats(w);
        float[] dst = new float[src.length];
        for (int i = 0; i < in; i++) {
            for (int o = 0; o < out; o++) {
                for (int a = 0; a < kh; a++) {
                    for (int b = 0; b < kw; b++) {
                        dst[((o * in + i) * kh + a) * kw + b] = src[((i * out + o) * kh + (kh - 1 - a)) * kw + (kw - 1 - b)];
                    }
                }
            }
        }
        return Tensors.floats(name, dst, out, in, kh, kw);
    }

    private static long[] pads(NodeProto n) {
        long[] pads = ints(n, "pads");
        return pads.length == 4 ? pads : new long[] {0, 0, 0, 0};
    }

    private static long[] ints(NodeProto n, String name) {
        long[] values = Attrs.getInts(n, name);
        return values == null ? new long[0] : values;
    }

    private static boolean allEqual(long[] values, long expected) {
        for (long v : values) {
            if (v != expected) {
                return false;
            }
        }
        return true;
    }

    private static String fresh(String hint, Set<String> taken) {
        String name = hint;
        for (int k = 1; taken.contains(name); k++) {
            name = hint + "_" + k;
        }
        taken.add(name);
        return name;
    }
}
