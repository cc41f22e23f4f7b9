package io.flowrecon.adjoint;

import io.flowrecon.adjoint.onnx.Shape;
import io.flowrecon.adjoint.onnx.ShapeInference;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Operators that only move elements: each is linear, and its adjoint is its inverse movement (Reshape back,
 * inverse permutation, Concat of Split, Split of Concat, Pad of Slice, Slice of Pad).
 */
final class ShapeRules {
    private ShapeRules() {
    }

    static void register(Map<String, VjpRule> m) {
        VjpRule reshapeBack = c -> first(c, c.ops().reshape(c.dy(), c.shape(c.in(0)).dims()));
        m.put("Reshape", reshapeBack);
        m.put("Flatten", reshapeBack);
        m.put("Squeeze", reshapeBack);
        m.put("Unsqueeze", reshapeBack);
        m.put("Transpose", ShapeRules::transpose);
        m.put("Split", ShapeRules::split);
        m.put("Concat", ShapeRules::concat);
        m.put("Slice", ShapeRules::slice);
        m.put("Pad", ShapeRules::pad);
        m.put("Constant", c -> c.noGrads());
    }

    private static List<String> first(VjpContext c, String dx) {
        List<String> g = c.noGrads();
        g.set(0, dx);
        return g;
    }

    private static List<String> transpose(VjpContext c) {
        long[] perm = ShapeInference.perm(c.node(), c.shape(c.in(0)).rank());
        long[] inverse = new long[perm.length];
        for (int i = 0; i < perm.length; i++) {
            inverse[(int) perm[i]] = i;
        }
        return first(c, c.ops().transpose(c.dy(), inverse));
    }

    private static List<String> split(VjpContext c) {
        c.refuseIfNeeded(1, "split sizes are integers");
        Shape x = c.shape(c.in(0));
        int axis = x.axis(c.intAttr("axis", 0), "Split");
        String[] parts = new String[c.node().getOutputCount()];
        for (int i = 0; i < parts.length; i++) {
            parts[i] = c.gradOutOrZeros(i);
        }
        return first(c, parts.length == 1 ? parts[0] : c.ops().concat(axis, parts));
    }

    private static List<String> concat(VjpContext c) {
        Shape y = c.shape(c.out(0));
        int axis = y.axis(c.intAttr("axis", 0), "Concat");
        List<String> g = c.noGrads();
        if (c.inputCount() == 1) {
            g.set(0, c.dy());
            return g;
        }
        long[] sizes = new long[c.inputCount()];
        for (int i = 0; i < sizes.length; i++) {
            sizes[i] = c.shape(c.in(i)).dim(axis);
        }
        List<String> parts = c.ops().split(c.dy(), axis, sizes);
        for (int i = 0; i < sizes.length; i++) {
            if (c.needsGrad(i)) {
                g.set(i, parts.get(i));
            }
        }
        return g;
    }

    /**
     * Unit-step slices: the adjoint zero-pads dY back to the input's extent. Other steps (negative too): a
     * selection matrix per strided axis, transposed ({@link AxisMatrices}), then the unit-step axes padded.
     */
    private static List<String> slice(VjpContext c) {
        long[][] ranges = ShapeInference.sliceRanges(c.node(), c.graph());
        Shape x = c.shape(c.in(0));
        String dx = c.dy();
        long[] pads = new long[2 * ranges.length];
        boolean padded = false;
        for (int i = 0; i < ranges.length; i++) {
            long start = ranges[i][0];
            long step = ranges[i][1];
            long count = ranges[i][2];
            if (step == 1) {
                pads[i] = start;
                pads[i + ranges.length] = x.dim(i) - start - count;
                padded |= pads[i] != 0 || pads[i + ranges.length] != 0;
                continue;
            }
            int in = (int) x.dim(i);
            float[] select = new float[(int) count * in];
            for (int o = 0; o < count; o++) {
                select[o * in + (int) (start + o * step)] = 1f;
            }
            dx = AxisMatrices.transposeAlong(c, dx, i, select, (int) count, in, "slice_adjoint");
        }
        return first(c, padded ? c.ops().pad(dx, pads) : dx);
    }

    /** Constant-mode, non-negative pads: the adjoint crops dY back to the input. */
    private static List<String> pad(VjpContext c) {
        String mode = c.stringAttr("mode", "constant");
        if (!mode.equals("constant")) {
            throw c.refuse("Pad mode '" + mode + "' is not supported (only constant)");
        }
        c.refuseIfNeeded(2, "the padding value is not differentiated");
        long[] pads = c.constInput(1, "pads");
        Shape x = c.shape(c.in(0));
        int r = x.rank();
        List<Long> starts = new ArrayList<>();
        List<Long> ends = new ArrayList<>();
        List<Long> axes = new ArrayList<>();
        for (int i = 0; i < r; i++) {
            if (pads[i] < 0 || pads[i + r] < 0) {
                throw c.refuse("negative pads (cropping) are not supported");
            }
            if (pads[i] != 0 || pads[i + r] != 0) {
                starts.add(pads[i]);
                ends.add(pads[i] + x.dim(i));
                axes.add((long) i);
            }
        }
        if (axes.isEmpty()) {
            return first(c, c.dy());
        }
        return first(c, c.ops().slice(c.dy(), toArray(starts), toArray(ends), toArray(axes)));
    }

    private static long[] toArray(List<Long> values) {
        return values.stream().mapToLong(Long::longValue).toArray();
    }
}
