package io.flowrecon.adjoint.onnx;

import io.flowrecon.adjoint.onnx.proto.NodeProto;

/**
 * The resolved spatial attributes of a Conv or ConvTranspose node (auto_pad turned into explicit pads, defaults
 * filled in), per the ONNX operator spec (opset 17). Arrays have one entry per spatial axis.
 */
public record ConvGeometry(long[] kernel, long[] strides, long[] dilations, long[] padsBegin, long[] padsEnd,
                           long[] outputPadding, long group) {

    /** Geometry of a Conv node for input x [N, C, ...] and weight w [M, C/group, k...]. */
    public static ConvGeometry conv(NodeProto node, Shape x, Shape w) {
        int spatial = x.rank() - 2;
        checkRanks(node, x, w, spatial);
        long[] k = kernel(node, w, spatial);
        long[] s = orOnes(Attrs.getInts(node, "strides"), spatial);
        long[] d = orOnes(Attrs.getInts(node, "dilations"), spatial);
        long[] pb = new long[spatial];
        long[] pe = new long[spatial];
        String autoPad = Attrs.getString(node, "auto_pad", "NOTSET");
        switch (autoPad) {
            case "NOTSET" -> explicitPads(node, spatial, pb, pe);
            case "VALID" -> { }
            case "SAME_UPPER", "SAME_LOWER" -> {
                for (int i = 0; i < spatial; i++) {
                    long in = x.dim(i + 2);
                    long out = (in + s[i] - 1) / s[i];
                    long total = Math.max(0, (out - 1) * s[i] + (k[i] - 1) * d[i] + 1 - in);
                    long small = total / 2;
                    pb[i] = autoPad.equals("SAME_UPPER") ? small : total - small;
                    pe[i] = total - pb[i];
                }
            }
            default -> throw new IllegalArgumentException(Attrs.describe(node) + ": auto_pad '" + autoPad
                    + "' is not one of NOTSET, VALID, SAME_UPPER, SAME_LOWER");
        }
        long group = Attrs.getInt(node, "group", 1);
        if (x.dim(1) != w.dim(1) * group) {
            throw new IllegalArgumentException(Attrs.describe(node) + ": input has " + x.dim(1)
                    + " channels but weight " + w + " with group " + group + " expects " + w.dim(1) * group);
        }
        return new ConvGeometry(k, s, d, pb, pe, new long[spatial], group);
    }

    /**
     * Geometry of a ConvTranspose node for input x [N, C, ...] and weight w [C, M/group, k...]. Only explicit
     * pads (auto_pad NOTSET or VALID, no output_shape) are accepted: that is what our priors and the adjoint of
     * Conv use, and guessing the other conventions wrongly would give wrong shapes.
     */
    public static ConvGeometry convTranspose(NodeProto node, Shape x, Shape w) {
        int spatial = x.rank() - 2;
        checkRanks(node, x, w, spatial);
        if (Attrs.find(node, "output_shape").isPresent()) {
            throw new IllegalArgumentException(Attrs.describe(node)
                    + ": the output_shape attribute is not supported; give explicit pads and output_padding");
        }
        String autoPad = Attrs.getString(node, "auto_pad", "NOTSET");
        long[] pb = new long[spatial];
        long[] pe = new long[spatial];
        if (autoPad.equals("NOTSET")) {
            explicitPads(node, spatial, pb, pe);
        } else if (!autoPad.equals("VALID")) {
            throw new IllegalArgumentException(Attrs.describe(node) + ": auto_pad '" + autoPad
                    + "' is not supported for ConvTranspose; allowed: NOTSET (explicit pads) or VALID");
        }
        long group = Attrs.getInt(node, "group", 1);
        if (x.dim(1) != w.dim(0)) {
            throw new IllegalArgumentException(Attrs.describe(node) + ": input has " + x.dim(1)
                    + " channels but weight " + w + " expects " + w.dim(0));
        }
        long[] op = Attrs.getInts(node, "output_padding");
        return new ConvGeometry(kernel(node, w, spatial), orOnes(Attrs.getInts(node, "strides"), spatial),
                orOnes(Attrs.getInts(node, "dilations"), spatial), pb, pe,
                op == null ? new long[spatial] : op.clone(), group);
    }

    /** Output spatial size of the Conv along axis i for input size in. */
    public long convOut(int i, long in) {
        return (in + padsBegin[i] + padsEnd[i] - ((kernel[i] - 1) * dilations[i] + 1)) / strides[i] + 1;
    }

    /** Output spatial size of the ConvTranspose along axis i for input size in. */
    public long convTransposeOut(int i, long in) {
        return strides[i] * (in - 1) + outputPadding[i] + (kernel[i] - 1) * dilations[i] + 1 - padsBegin[i]
                - padsEnd[i];
    }

    /** The pads attribute in ONNX order: all begins, then all ends. */
    public long[] pads() {
        long[] p = new long[2 * padsBegin.length];
        System.arraycopy(padsBegin, 0, p, 0, padsBegin.length);
        System.arraycopy(padsEnd, 0, p, padsBegin.length, padsEnd.length);
        return p;
    }

    private static void checkRanks(NodeProto node, Shape x, Shape w, int spatial) {
        if (spatial < 1 || w.rank() != x.rank()) {
            throw new IllegalArgumentException(Attrs.describe(node) + ": input " + x + " and weight " + w
                    + " must have the same rank >= 3");
        }
    }

    private static long[] kernel(NodeProto node, Shape w, int spatial) {
        long[] k = Attrs.getInts(node, "kernel_shape");
        if (k == null) {
            k = new long[spatial];
            for (int i = 0; i < spatial; i++) {
                k[i] = w.dim(i + 2);
            }
        }
        return k;
    }

    private static void explicitPads(NodeProto node, int spatial, long[] pb, long[] pe) {
        long[] pads = Attrs.getInts(node, "pads");
        if (pads == null) {
            return;
        }
        if (pads.length != 2 * spatial) {
            throw new IllegalArgumentException(Attrs.describe(node) + ": pads has " + pads.length
                    + " entries, expected " + 2 * spatial);
        }
        System.arraycopy(pads, 0, pb, 0, spatial);
        System.arraycopy(pads, spatial, pe, 0, spatial);
    }

    private static long[] orOnes(long[] values, int n) {
        if (values != null) {
            return values.clone();
        }
        long[] ones = new long[n];
        java.util.Arrays.fill(ones, 1);
        return ones;
    }
}
