package io.flowrecon.adjoint.ops;

import io.flowrecon.adjoint.OperatorTable;
import io.flowrecon.adjoint.VjpContext;
import io.flowrecon.adjoint.onnx.Attrs;
import io.flowrecon.adjoint.onnx.ConvGeometry;
import io.flowrecon.adjoint.onnx.Shape;
import io.flowrecon.adjoint.onnx.ShapeInference;
import io.flowrecon.adjoint.onnx.ShapeInference.Env;
import io.flowrecon.adjoint.onnx.ShapeInference.Result;
import io.flowrecon.adjoint.onnx.ValueType;
import io.flowrecon.adjoint.onnx.proto.NodeProto;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Conv and ConvTranspose. They are each other's transpose in the input (same weights, strides, pads,
 * dilations, group), so dX of one is the other applied to dY; output_padding makes the shapes meet. The
 * weight adjoint is the correlation of the input with dY, itself a Conv with batch and channel axes swapped
 * and the roles of stride and dilation exchanged (as in ORT's ConvGrad), one per group. Global pooling is
 * shape-inferred only.
 */
final class ConvOperators {
    private ConvOperators() {
    }

    static void register(OperatorTable.Builder b) {
        b.define("Conv", (node, env) -> convShape(node, env, false), ConvOperators::conv);
        b.define("ConvTranspose", (node, env) -> convShape(node, env, true), ConvOperators::convTranspose);
        for (String op : List.of("GlobalAveragePool", "GlobalMaxPool")) {
            b.shapeOnly(op, (node, env) -> {
                long[] d = ShapeInference.in(node, env, 0).shape().dims();
                Arrays.fill(d, 2, d.length, 1);
                return Result.of(ShapeInference.in(node, env, 0).withShape(Shape.of(d)));
            });
        }
    }

    private static Result convShape(NodeProto node, Env env, boolean transpose) {
        ValueType xt = ShapeInference.in(node, env, 0);
        Shape x = xt.shape();
        Shape w = ShapeInference.in(node, env, 1).shape();
        ConvGeometry g = transpose ? ConvGeometry.convTranspose(node, x, w) : ConvGeometry.conv(node, x, w);
        long[] out = new long[x.rank()];
        out[0] = x.dim(0);
        out[1] = transpose ? w.dim(1) * g.group() : w.dim(0);
        for (int i = 0; i < x.rank() - 2; i++) {
            out[i + 2] = transpose ? g.convTransposeOut(i, x.dim(i + 2)) : g.convOut(i, x.dim(i + 2));
            if (out[i + 2] <= 0) {
                throw new IllegalArgumentException(Attrs.describe(node) + ": spatial output size " + out[i + 2]
                        + " along axis " + (i + 2) + " is not positive");
            }
        }
        return Result.of(xt.withShape(Shape.of(out)));
    }

    private static List<String> conv(VjpContext c) {
        Shape x = c.shape(c.in(0));
        Shape w = c.shape(c.in(1));
        Shape y = c.shape(c.out(0));
        ConvGeometry geo = ConvGeometry.conv(c.node(), x, w);
        int spatial = x.rank() - 2;
        List<String> g = c.noGrads();
        if (c.needsGrad(0)) {
            long[] outputPadding = new long[spatial];
            for (int i = 0; i < spatial; i++) {
                outputPadding[i] = x.dim(i + 2) - geo.strides()[i] * (y.dim(i + 2) - 1)
                        - (geo.kernel()[i] - 1) * geo.dilations()[i] - 1 + geo.padsBegin()[i] + geo.padsEnd()[i];
            }
            g.set(0, c.ops().convTranspose(c.dy(), c.in(1), null, geo.strides(), geo.pads(), geo.dilations(),
                    geo.group(), outputPadding));
        }
        if (c.needsGrad(1)) {
            g.set(1, weightGrad(c, c.in(0), c.dy(), geo, w));
        }
        if (c.inputCount() > 2 && !c.in(2).isEmpty() && c.needsGrad(2)) {
            g.set(2, biasGrad(c, c.dy()));
        }
        return g;
    }

    private static List<String> convTranspose(VjpContext c) {
        Shape x = c.shape(c.in(0));
        Shape w = c.shape(c.in(1));
        ConvGeometry geo = ConvGeometry.convTranspose(c.node(), x, w);
        List<String> g = c.noGrads();
        if (c.needsGrad(0)) {
            for (int i = 0; i < geo.strides().length; i++) {
                if (geo.outputPadding()[i] >= geo.strides()[i]) {
                    throw c.refuse("output_padding " + geo.outputPadding()[i] + " >= stride " + geo.strides()[i]
                            + " on spatial axis " + i + " has no Conv adjoint");
                }
            }
            g.set(0, c.ops().conv(c.dy(), c.in(1), null, geo.strides(), geo.pads(), geo.dilations(), geo.group()));
        }
        if (c.needsGrad(1)) {
            // Y = ConvT(X, W) is Conv's input adjoint, so W pairs X (as Conv's dY) with Y (as Conv's input).
            g.set(1, weightGrad(c, c.dy(), c.in(0), geo, w));
        }
        if (c.inputCount() > 2 && !c.in(2).isEmpty() && c.needsGrad(2)) {
            g.set(2, biasGrad(c, c.dy()));
        }
        return g;
    }

    /**
     * dW[m, c, k] = sum_{n, o} dY[n, m, o] Xpad[n, c, o*s + k*d]: a Conv of X^T ([C, N, ...]) with dY^T
     * ([M, N, ...]) as weights, stride d and dilation s, the forward pads; cropped to the kernel size.
     */
    private static String weightGrad(VjpContext c, String input, String outGrad, ConvGeometry geo, Shape w) {
        int rank = c.shape(input).rank();
        long group = geo.group();
        long cPerGroup = c.shape(input).dim(1) / group;
        long mPerGroup = c.shape(outGrad).dim(1) / group;
        long[] swap = new long[rank];
        for (int i = 0; i < rank; i++) {
            swap[i] = i;
        }
        swap[0] = 1;
        swap[1] = 0;
        List<String> parts = new ArrayList<>();
        for (long j = 0; j < group; j++) {
            String xj = group == 1 ? input : channelSlice(c, input, j * cPerGroup, cPerGroup);
            String dyj = group == 1 ? outGrad : channelSlice(c, outGrad, j * mPerGroup, mPerGroup);
            String corr = c.ops().conv(c.ops().transpose(xj, swap), c.ops().transpose(dyj, swap), null,
                    geo.dilations(), geo.pads(), geo.strides(), 1);
            Shape full = c.shape(corr);
            long[] starts = new long[rank - 2];
            long[] ends = new long[rank - 2];
            long[] axes = new long[rank - 2];
            boolean crop = false;
            for (int i = 0; i < rank - 2; i++) {
                axes[i] = i + 2;
                ends[i] = geo.kernel()[i];
                crop |= full.dim(i + 2) != geo.kernel()[i];
            }
            if (crop) {
                corr = c.ops().slice(corr, starts, ends, axes);
            }
            parts.add(c.ops().transpose(corr, swap));
        }
        String dw = parts.size() == 1 ? parts.get(0) : c.ops().concat(0, parts.toArray(String[]::new));
        if (!c.shape(dw).equals(w)) {
            throw c.refuse("weight adjoint has shape " + c.shape(dw) + ", expected " + w);
        }
        return dw;
    }

    private static String channelSlice(VjpContext c, String x, long start, long count) {
        return c.ops().slice(x, new long[] {start}, new long[] {start + count}, new long[] {1});
    }

    private static String biasGrad(VjpContext c, String dy) {
        int rank = c.shape(dy).rank();
        long[] axes = new long[rank - 1];
        axes[0] = 0;
        for (int i = 2; i < rank; i++) {
            axes[i - 1] = i;
        }
        return c.emit("ReduceSum", List.of(dy, c.graph().constantInts("axes", axes)), Attrs.i("keepdims", 0));
    }
}
