package io.flowrecon.adjoint.onnx;

import io.flowrecon.adjoint.onnx.proto.AttributeProto;
import io.flowrecon.adjoint.onnx.proto.TensorProto.DataType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One-line conveniences for the common operators (opset 17 forms: axes, pads, split sizes as int64 constant
 * inputs), on top of a {@link GraphBuilder}. Each returns the name of the new value.
 */
public final class Ops {
    private final GraphBuilder g;

    public Ops(GraphBuilder g) {
        this.g = g;
    }

    public GraphBuilder graph() {
        return g;
    }

    // ---- element-wise ----

    public String add(String a, String b) {
        return g.node("Add", List.of(a, b));
    }

    public String sub(String a, String b) {
        return g.node("Sub", List.of(a, b));
    }

    public String mul(String a, String b) {
        return g.node("Mul", List.of(a, b));
    }

    public String div(String a, String b) {
        return g.node("Div", List.of(a, b));
    }

    public String pow(String a, String exponent) {
        return g.node("Pow", List.of(a, exponent));
    }

    public String unary(String opType, String x, AttributeProto... attrs) {
        return g.node(opType, List.of(x), attrs);
    }

    public String neg(String x) {
        return unary("Neg", x);
    }

    public String exp(String x) {
        return unary("Exp", x);
    }

    public String log(String x) {
        return unary("Log", x);
    }

    public String sqrt(String x) {
        return unary("Sqrt", x);
    }

    public String sigmoid(String x) {
        return unary("Sigmoid", x);
    }

    public String tanh(String x) {
        return unary("Tanh", x);
    }

    public String relu(String x) {
        return unary("Relu", x);
    }

    public String softplus(String x) {
        return unary("Softplus", x);
    }

    public String leakyRelu(String x, float alpha) {
        return unary("LeakyRelu", x, Attrs.f("alpha", alpha));
    }

    public String identity(String x) {
        return unary("Identity", x);
    }

    public String where(String condition, String x, String y) {
        return g.node("Where", List.of(condition, x, y));
    }

    /** A rank-0 constant of x's element type (for scaling x). */
    public String scalarLike(String x, double value) {
        return g.scalar("c", g.type(x).elemType(), value);
    }

    public String scale(String x, double factor) {
        return mul(x, scalarLike(x, factor));
    }

    // ---- linear algebra and convolution ----

    public String matMul(String a, String b) {
        return g.node("MatMul", List.of(a, b));
    }

    /** alpha * op(A) op(B) + beta * C; c may be null. */
    public String gemm(String a, String b, String c, float alpha, float beta, boolean transA, boolean transB) {
        List<String> in = c == null ? List.of(a, b) : List.of(a, b, c);
        return g.node("Gemm", in, Attrs.f("alpha", alpha), Attrs.f("beta", beta), Attrs.i("transA", transA ? 1 : 0),
                Attrs.i("transB", transB ? 1 : 0));
    }

    /** Conv with explicit geometry; bias may be null; arrays have one entry per spatial axis (pads: 2 per). */
    public String conv(String x, String w, String bias, long[] strides, long[] pads, long[] dilations, long group) {
        return g.node("Conv", bias == null ? List.of(x, w) : List.of(x, w, bias), Attrs.ints("strides", strides),
                Attrs.ints("pads", pads), Attrs.ints("dilations", dilations), Attrs.i("group", group));
    }

    /** ConvTranspose with explicit geometry; bias may be null. */
    public String convTranspose(String x, String w, String bias, long[] strides, long[] pads, long[] dilations,
                                long group, long[] outputPadding) {
        return g.node("ConvTranspose", bias == null ? List.of(x, w) : List.of(x, w, bias),
                Attrs.ints("strides", strides), Attrs.ints("pads", pads), Attrs.ints("dilations", dilations),
                Attrs.i("group", group), Attrs.ints("output_padding", outputPadding));
    }

    // ---- shape ----

    /** Reshape; dims may hold one -1 (inferred) and 0 (copied from x), as in the spec. */
    public String reshape(String x, long... dims) {
        if (java.util.Arrays.equals(g.shape(x).dims(), dims)) {
            return x;
        }
        return g.node("Reshape", List.of(x, g.constantInts("shape", dims)));
    }

    public String transpose(String x, long... perm) {
        return g.node("Transpose", List.of(x), Attrs.ints("perm", perm));
    }

    public String concat(long axis, String... inputs) {
        return g.node("Concat", List.of(inputs), Attrs.i("axis", axis));
    }

    public List<String> split(String x, long axis, long... sizes) {
        return g.node("Split", List.of(x, g.constantInts("split", sizes)), sizes.length, "split",
                Attrs.i("axis", axis));
    }

    public String slice(String x, long[] starts, long[] ends, long[] axes) {
        return g.node("Slice", List.of(x, g.constantInts("starts", starts), g.constantInts("ends", ends),
                g.constantInts("axes", axes)));
    }

    /** Zero padding; pads in ONNX order (all begins, then all ends). */
    public String pad(String x, long... pads) {
        return g.node("Pad", List.of(x, g.constantInts("pads", pads)));
    }

    public String squeeze(String x, long... axes) {
        return g.node("Squeeze", List.of(x, g.constantInts("axes", axes)));
    }

    public String unsqueeze(String x, long... axes) {
        return g.node("Unsqueeze", List.of(x, g.constantInts("axes", axes)));
    }

    public String expand(String x, Shape shape) {
        if (g.shape(x).equals(shape)) {
            return x;
        }
        return g.node("Expand", List.of(x, g.constantInts("shape", shape.dims())));
    }

    // ---- reductions ----

    public String reduceSum(String x, boolean keepDims, long... axes) {
        if (axes.length == 0) {
            return x;
        }
        return g.node("ReduceSum", List.of(x, g.constantInts("axes", axes)), Attrs.i("keepdims", keepDims ? 1 : 0));
    }

    /** Sum over every axis, to a scalar. */
    public String reduceSumAll(String x) {
        return g.node("ReduceSum", List.of(x), Attrs.i("keepdims", 0));
    }

    public String reduceMean(String x, boolean keepDims, long... axes) {
        return g.node("ReduceMean", List.of(x), Attrs.ints("axes", axes), Attrs.i("keepdims", keepDims ? 1 : 0));
    }

    /** A tensor of zeros with the type of {@code like}. */
    public String zerosLike(String like) {
        ValueType t = g.type(like);
        String shape = g.constantInts("shape", t.shape().dims());
        return g.node("ConstantOfShape", List.of(shape), "zeros",
                Attrs.tensor("value", Tensors.scalar("", t.elemType(), 0).toBuilder().clearDims().addDims(1).build()));
    }

    /** Sums values of one shape (Add for two, Sum for more). */
    public String sum(List<String> values) {
        if (values.size() == 1) {
            return values.get(0);
        }
        if (values.size() == 2) {
            return add(values.get(0), values.get(1));
        }
        return g.node("Sum", new ArrayList<>(values));
    }

    /**
     * Reduces a broadcast value back to {@code target}: ReduceSum over the axes broadcasting added or stretched,
     * then Reshape (numpy broadcasting rules, ONNX Broadcasting.md).
     */
    public String unbroadcast(String x, Shape target) {
        Shape s = g.shape(x);
        if (s.equals(target)) {
            return x;
        }
        int extra = s.rank() - target.rank();
        if (extra < 0) {
            throw new IllegalArgumentException("cannot reduce " + s + " to the larger rank of " + target);
        }
        List<Long> axes = new ArrayList<>();
        for (int i = 0; i < s.rank(); i++) {
            if (i < extra || (target.dim(i - extra) == 1 && s.dim(i) != 1)) {
                axes.add((long) i);
            }
        }
        String reduced = reduceSum(x, true, axes.stream().mapToLong(Long::longValue).toArray());
        return reshape(reduced, target.dims());
    }

    /** True for the floating element types the numeric engine differentiates. */
    public static boolean isFloating(DataType t) {
        return t == DataType.FLOAT || t == DataType.DOUBLE || t == DataType.FLOAT16 || t == DataType.BFLOAT16;
    }
}
