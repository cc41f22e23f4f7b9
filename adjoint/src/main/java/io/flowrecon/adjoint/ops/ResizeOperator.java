package io.flowrecon.adjoint.ops;

import io.flowrecon.adjoint.OperatorTable;
import io.flowrecon.adjoint.VjpContext;
import io.flowrecon.adjoint.onnx.Attrs;
import io.flowrecon.adjoint.onnx.Shape;
import io.flowrecon.adjoint.onnx.ShapeInference;
import io.flowrecon.adjoint.onnx.ShapeInference.Env;
import io.flowrecon.adjoint.onnx.ShapeInference.Result;
import io.flowrecon.adjoint.onnx.Tensors;
import io.flowrecon.adjoint.onnx.proto.NodeProto;
import io.flowrecon.adjoint.onnx.proto.TensorProto.DataType;
import java.util.List;

/**
 * Resize (opset 13 semantics, modes nearest, linear and cubic) is linear and separable: along each resized axis it
 * multiplies by an interpolation matrix R [out, in]. We build R in Java from the spec's coordinate transform
 * and rounding rules (arithmetic in float, as ONNX Runtime does, so nearest-neighbour ties agree) and apply
 * R^T along each axis to dY ({@link AxisMatrices}). Linear mode clamps the source coordinate to
 * [0, in - 1], which equals the spec's edge padding.
 */
final class ResizeOperator {
    private ResizeOperator() {
    }

    static void register(OperatorTable.Builder b) {
        b.define("Resize", ResizeOperator::shape, ResizeOperator::vjp);
    }

    /** Output size: the sizes input where given, else floor(in * scale) per axis. */
    private static Result shape(NodeProto node, Env env) {
        Shape s = ShapeInference.in(node, env, 0).shape();
        long[] sizes = ShapeInference.optionalConstLongs(node, env, 3, "sizes");
        long[] out = new long[s.rank()];
        if (sizes != null && sizes.length > 0) {
            if (sizes.length != s.rank()) {
                throw new IllegalArgumentException(Attrs.describe(node) + ": sizes must have one entry per axis");
            }
            out = sizes.clone();
        } else {
            float[] scales = scales(node, env);
            for (int i = 0; i < out.length; i++) {
                out[i] = (long) Math.floor(s.dim(i) * (double) scales[i]);
            }
        }
        return Result.of(ShapeInference.in(node, env, 0).withShape(Shape.of(out)));
    }

    /** The scales input of a Resize node (required when sizes is absent). */
    private static float[] scales(NodeProto node, Env env) {
        if (node.getInputCount() < 3 || node.getInput(2).isEmpty()) {
            throw new IllegalArgumentException(Attrs.describe(node) + ": Resize needs scales or sizes");
        }
        String name = node.getInput(2);
        float[] scales = Tensors.toFloats(env.constant(name).orElseThrow(() -> new IllegalArgumentException(
                Attrs.describe(node) + ": scales '" + name + "' must be a constant")));
        if (scales.length != ShapeInference.in(node, env, 0).shape().rank()) {
            throw new IllegalArgumentException(Attrs.describe(node) + ": scales must have one entry per axis");
        }
        return scales;
    }

    private static List<String> vjp(VjpContext c) {
        for (int i = 1; i < c.inputCount(); i++) {
            c.refuseIfNeeded(i, "roi, scales and sizes are not differentiated");
        }
        if (c.elemType(c.in(0)) != DataType.FLOAT) {
            throw c.refuse("only float32 Resize is differentiated (the interpolation matrices are float32)");
        }
        String mode = c.stringAttr("mode", "nearest");
        if (!mode.equals("nearest") && !mode.equals("linear") && !mode.equals("cubic")) {
            throw c.refuse("mode '" + mode + "' is not supported (nearest, linear, cubic)");
        }
        String transform = c.stringAttr("coordinate_transformation_mode", "half_pixel");
        Shape x = c.shape(c.in(0));
        Shape y = c.shape(c.out(0));
        boolean useSizes = c.inputCount() > 3 && !c.in(3).isEmpty()
                && c.shape(c.in(3)).size() > 0;
        float[] scales = useSizes ? null : scales(c.node(), c.graph());
        String dx = c.dy();
        int rank = x.rank();
        for (int axis = 0; axis < rank; axis++) {
            int in = (int) x.dim(axis);
            int out = (int) y.dim(axis);
            float scale = useSizes ? (float) out / (float) in : scales[axis];
            float[] r = switch (mode) {
                case "nearest" -> nearest(c, in, out, scale, transform,
                        c.stringAttr("nearest_mode", "round_prefer_floor"));
                case "linear" -> linear(c, in, out, scale, transform);
                default -> cubic(c, in, out, scale, transform, c.floatAttr("cubic_coeff_a", -0.75f),
                        c.intAttr("exclude_outside", 0) != 0);
            };
            if (in == out && isIdentity(r, in)) {
                continue;
            }
            dx = AxisMatrices.transposeAlong(c, dx, axis, r, out, in, "resize_adjoint");
        }
        List<String> g = c.noGrads();
        g.set(0, dx);
        return g;
    }

    /** Source coordinate of output index o (ONNX Resize-13 coordinate_transformation_mode). */
    private static float source(VjpContext c, int o, int in, int out, float scale, String transform) {
        return switch (transform) {
            case "half_pixel" -> (o + 0.5f) / scale - 0.5f;
            case "pytorch_half_pixel" -> out > 1 ? (o + 0.5f) / scale - 0.5f : 0f;
            case "align_corners" -> out == 1 ? 0f : o * (float) (in - 1) / (float) (out - 1);
            case "asymmetric" -> o / scale;
            case "tf_half_pixel_for_nn" -> (o + 0.5f) / scale;
            default -> throw c.refuse("coordinate_transformation_mode '" + transform + "' is not supported");
        };
    }

    private static float[] nearest(VjpContext c, int in, int out, float scale, String transform, String rounding) {
        float[] r = new float[out * in];
        for (int o = 0; o < out; o++) {
            float s = source(c, o, in, out, scale, transform);
            long i = switch (rounding) {
                case "round_prefer_floor" -> s == (float) Math.floor(s) + 0.5f ? (long) Math.floor(s) : Math.round(s);
                case "round_prefer_ceil" -> s == (float) Math.floor(s) + 0.5f ? (long) Math.ceil(s) : Math.round(s);
                case "floor" -> (long) Math.floor(s);
                case "ceil" -> (long) Math.ceil(s);
                default -> throw c.refuse("nearest_mode '" + rounding + "' is not supported");
            };
            int clamped = (int) Math.max(0, Math.min(in - 1, i));
            r[o * in + clamped] += 1f;
        }
        return r;
    }

    private static float[] linear(VjpContext c, int in, int out, float scale, String transform) {
        float[] r = new float[out * in];
        for (int o = 0; o < out; o++) {
            float s = Math.max(0f, Math.min(in - 1, source(c, o, in, out, scale, transform)));
            int lo = (int) s;
            int hi = Math.min(lo + 1, in - 1);
            float frac = s - lo;
            r[o * in + lo] += 1f - frac;
            r[o * in + hi] += frac;
        }
        return r;
    }

    /**
     * Cubic convolution (Keys 1981) with coefficient a (torch writes -0.75): the four taps around the source
     * coordinate, indices clamped to the edge; with exclude_outside the taps outside are dropped and the rest
     * renormalised (ONNX Resize-13).
     */
    private static float[] cubic(VjpContext c, int in, int out, float scale, String transform, float a,
                                 boolean excludeOutside) {
        float[] r = new float[out * in];
        for (int o = 0; o < out; o++) {
            float s = source(c, o, in, out, scale, transform);
            int base = (int) Math.floor(s);
            float t = s - base;
            float[] w = {keys(1 + t, a), keys(t, a), keys(1 - t, a), keys(2 - t, a)};
            float total = 0;
            for (int k = 0; k < 4; k++) {
                int i = base - 1 + k;
                if (excludeOutside && (i < 0 || i >= in)) {
                    w[k] = 0;
                }
                total += w[k];
            }
            for (int k = 0; k < 4; k++) {
                int i = Math.max(0, Math.min(in - 1, base - 1 + k));
                r[o * in + i] += excludeOutside ? w[k] / total : w[k];
            }
        }
        return r;
    }

    private static float keys(float d, float a) {
        float x = Math.abs(d);
        if (x <= 1) {
            return ((a + 2) * x - (a + 3)) * x * x + 1;
        }
        return x < 2 ? ((a * x - 5 * a) * x + 8 * a) * x - 4 * a : 0;
    }

    private static boolean isIdentity(float[] r, int n) {
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (r[i * n + j] != (i == j ? 1f : 0f)) {
                    return false;
                }
            }
        }
        return true;
    }
}
