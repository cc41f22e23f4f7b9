package io.flowrecon.adjoint.ops;

import io.flowrecon.adjoint.OperatorTable;
import io.flowrecon.adjoint.VjpContext;
import io.flowrecon.adjoint.onnx.Attrs;
import io.flowrecon.adjoint.onnx.Ops;
import io.flowrecon.adjoint.onnx.Shape;
import io.flowrecon.adjoint.onnx.ShapeInference;
import io.flowrecon.adjoint.onnx.ShapeInference.Env;
import io.flowrecon.adjoint.onnx.ShapeInference.Result;
import io.flowrecon.adjoint.onnx.ShapeRule;
import io.flowrecon.adjoint.onnx.ValueType;
import io.flowrecon.adjoint.onnx.proto.NodeProto;
import io.flowrecon.adjoint.onnx.proto.TensorProto.DataType;
import java.util.List;

/**
 * Element-wise operators. Unary ones keep their input's type; binary ones broadcast (numpy rules), so each
 * input's adjoint is reduced back to the input's shape ({@link Ops#unbroadcast}). Unary derivatives reuse the
 * forward output where the formula allows (exp, sigmoid, tanh, sqrt), as ORT's gradient_builder does, to avoid
 * recomputing.
 */
final class ElementwiseOperators {
    private static final ShapeRule SAME = ShapeInference::sameAsFirst;
    private static final ShapeRule BROADCAST = ElementwiseOperators::broadcastShape;
    private static final ShapeRule COMPARE = ElementwiseOperators::compareShape;

    private ElementwiseOperators() {
    }

    static void register(OperatorTable.Builder b) {
        b.define("Identity", SAME, c -> unary(c, c.dy()));
        b.define("Neg", SAME, c -> unary(c, c.ops().neg(c.dy())));
        b.define("Exp", SAME, c -> unary(c, c.ops().mul(c.dy(), c.out(0))));
        b.define("Log", SAME, c -> unary(c, c.ops().div(c.dy(), c.in(0))));
        // d sqrt(x) = 1 / (2 sqrt(x))
        b.define("Sqrt", SAME, c -> unary(c, c.ops().div(c.ops().scale(c.dy(), 0.5), c.out(0))));
        // s' = s (1 - s)
        b.define("Sigmoid", SAME, c -> unary(c, c.ops().mul(c.dy(), c.ops().mul(c.out(0),
                c.ops().sub(c.scalar(c.out(0), 1), c.out(0))))));
        // tanh' = 1 - tanh^2
        b.define("Tanh", SAME, c -> unary(c, c.ops().mul(c.dy(), c.ops().sub(c.scalar(c.out(0), 1),
                c.ops().mul(c.out(0), c.out(0))))));
        b.define("Relu", SAME, c -> unary(c, c.ops().where(positive(c), c.dy(), c.scalar(c.dy(), 0))));
        b.define("LeakyRelu", SAME, c -> unary(c, c.ops().where(positive(c), c.dy(),
                c.ops().scale(c.dy(), c.floatAttr("alpha", 0.01f)))));
        // softplus(x) = log(1 + e^x), derivative sigmoid(x)
        b.define("Softplus", SAME, c -> unary(c, c.ops().mul(c.dy(), c.ops().sigmoid(c.in(0)))));
        b.define("Clip", SAME, ElementwiseOperators::clip);
        b.define("Add", BROADCAST, c -> binary(c, c.dy(), c.dy()));
        b.define("Sub", BROADCAST, c -> binary(c, c.dy(), c.needsGrad(1) ? c.ops().neg(c.dy()) : null));
        b.define("Mul", BROADCAST, c -> binary(c, c.needsGrad(0) ? c.ops().mul(c.dy(), c.in(1)) : null,
                c.needsGrad(1) ? c.ops().mul(c.dy(), c.in(0)) : null));
        // d(a/b)/db = -(a/b)/b
        b.define("Div", BROADCAST, c -> binary(c, c.needsGrad(0) ? c.ops().div(c.dy(), c.in(1)) : null,
                c.needsGrad(1) ? c.ops().neg(c.ops().mul(c.dy(), c.ops().div(c.out(0), c.in(1)))) : null));
        b.define("Pow", BROADCAST, ElementwiseOperators::pow);
        b.define("Sum", BROADCAST, ElementwiseOperators::sum);
        b.define("Where", ElementwiseOperators::whereShape, ElementwiseOperators::where);
        // erf'(x) = 2 / sqrt(pi) exp(-x^2) (GELU exports as x/2 (1 + erf(x / sqrt 2)))
        b.define("Erf", SAME, c -> unary(c, c.ops().mul(c.ops().scale(c.dy(), 2 / Math.sqrt(Math.PI)),
                c.ops().exp(c.ops().neg(c.ops().mul(c.in(0), c.in(0)))))));
        // elu(x) = x for x > 0, alpha (e^x - 1) otherwise, whose derivative there is elu(x) + alpha
        b.define("Elu", SAME, c -> unary(c, c.ops().where(positive(c), c.dy(), c.ops().mul(c.dy(),
                c.ops().add(c.out(0), c.scalar(c.out(0), c.floatAttr("alpha", 1f)))))));
        b.define("Abs", SAME, c -> unary(c, c.ops().mul(c.dy(), c.emit("Sign", List.of(c.in(0))))));
        // d(1/x) = -1/x^2
        b.define("Reciprocal", SAME, c -> unary(c, c.ops().neg(c.ops().mul(c.dy(), c.ops().mul(c.out(0),
                c.out(0))))));
        // softsign(x) = x / (1 + |x|), derivative 1 / (1 + |x|)^2
        b.define("Softsign", SAME, c -> {
            String d = c.ops().add(c.scalar(c.in(0), 1), c.emit("Abs", List.of(c.in(0))));
            return unary(c, c.ops().div(c.dy(), c.ops().mul(d, d)));
        });
        // hardsigmoid(x) = max(0, min(1, alpha x + beta)): slope alpha inside (0, 1); hardswish = x hardsigmoid(x)
        // with alpha 1/6, beta 1/2 (opset 14), so its derivative is hardsigmoid(x) + x alpha inside
        b.define("HardSigmoid", SAME, c -> unary(c, c.ops().mul(c.ops().scale(c.dy(), c.floatAttr("alpha", 0.2f)),
                inside(c, c.floatAttr("alpha", 0.2f), c.floatAttr("beta", 0.5f)))));
        b.define("HardSwish", SAME, c -> {
            String hs = c.emit("HardSigmoid", List.of(c.in(0)), Attrs.f("alpha", 1f / 6), Attrs.f("beta", 0.5f));
            String slope = c.ops().mul(c.ops().scale(c.in(0), 1.0 / 6), inside(c, 1f / 6, 0.5f));
            return unary(c, c.ops().mul(c.dy(), c.ops().add(hs, slope)));
        });
        // selu(x) = gamma x for x > 0, gamma alpha (e^x - 1) otherwise: derivative there selu(x) + gamma alpha
        b.define("Selu", SAME, c -> {
            float gamma = c.floatAttr("gamma", 1.0507009873554805f);
            float alpha = c.floatAttr("alpha", 1.6732632423543772f);
            return unary(c, c.ops().where(positive(c), c.ops().scale(c.dy(), gamma), c.ops().mul(c.dy(),
                    c.ops().add(c.out(0), c.scalar(c.out(0), gamma * alpha)))));
        });
        // prelu(x, slope) = x for x > 0, slope x otherwise (slope broadcasts, e.g. [C, 1, 1] per channel)
        b.define("PRelu", BROADCAST, c -> {
            String zero = c.scalar(c.dy(), 0);
            return binary(c, c.needsGrad(0) ? c.ops().where(positive(c), c.dy(), c.ops().mul(c.dy(), c.in(1))) : null,
                    c.needsGrad(1) ? c.ops().where(positive(c), zero, c.ops().mul(c.dy(), c.in(0))) : null);
        });
        b.define("Dropout", SAME, ElementwiseOperators::dropout);
        b.define("Cast", ElementwiseOperators::castShape, ElementwiseOperators::cast);
        for (String op : List.of("Floor", "Ceil", "Round", "Sign", "Not", "Sin", "Cos")) {
            b.shapeOnly(op, SAME);
        }
        for (String op : List.of("Max", "Min", "Mean")) {
            b.shapeOnly(op, BROADCAST);
        }
        for (String op : List.of("Greater", "Less", "Equal", "GreaterOrEqual", "LessOrEqual", "And", "Or", "Xor")) {
            b.shapeOnly(op, COMPARE);
        }
    }

    // ---- shapes ----

    private static Result broadcastShape(NodeProto node, Env env) {
        ValueType t = ShapeInference.in(node, env, 0);
        Shape s = t.shape();
        for (int i = 1; i < node.getInputCount(); i++) {
            s = ShapeInference.broadcast(node, s, ShapeInference.in(node, env, i).shape());
        }
        return Result.of(t.withShape(s));
    }

    private static Result compareShape(NodeProto node, Env env) {
        return Result.of(new ValueType(DataType.BOOL, ShapeInference.broadcast(node,
                ShapeInference.in(node, env, 0).shape(), ShapeInference.in(node, env, 1).shape())));
    }

    private static Result whereShape(NodeProto node, Env env) {
        Shape cx = ShapeInference.broadcast(node, ShapeInference.in(node, env, 0).shape(),
                ShapeInference.in(node, env, 1).shape());
        return Result.of(ShapeInference.in(node, env, 1).withShape(ShapeInference.broadcast(node, cx,
                ShapeInference.in(node, env, 2).shape())));
    }

    private static Result castShape(NodeProto node, Env env) {
        long code = Attrs.getInt(node, "to", 0);
        DataType to = DataType.forNumber((int) code);
        if (to == null || to == DataType.UNDEFINED) {
            throw ShapeInference.unsupported(node, "unknown data type " + code);
        }
        return Result.of(ShapeInference.in(node, env, 0).withElemType(to));
    }

    // ---- adjoints ----

    private static List<String> unary(VjpContext c, String dx) {
        List<String> g = c.noGrads();
        g.set(0, dx);
        return g;
    }

    private static String positive(VjpContext c) {
        return c.emit("Greater", List.of(c.in(0), c.scalar(c.in(0), 0)));
    }

    /** 1 where 0 < alpha x + beta < 1 (the linear piece of HardSigmoid), else 0, in x's type. */
    private static String inside(VjpContext c, float alpha, float beta) {
        String t = c.ops().add(c.ops().scale(c.in(0), alpha), c.scalar(c.in(0), beta));
        String in = c.emit("And", List.of(c.emit("Greater", List.of(t, c.scalar(t, 0))),
                c.emit("Less", List.of(t, c.scalar(t, 1)))));
        return c.emit("Cast", List.of(in), Attrs.i("to", c.elemType(c.in(0)).getNumber()));
    }

    private static List<String> binary(VjpContext c, String da, String db) {
        List<String> g = c.noGrads();
        if (c.needsGrad(0)) {
            g.set(0, c.unbroadcastTo(da, 0));
        }
        if (c.needsGrad(1)) {
            g.set(1, c.unbroadcastTo(db, 1));
        }
        return g;
    }

    /** x^p with p constant along the differentiated path: p x^(p-1). */
    private static List<String> pow(VjpContext c) {
        c.refuseIfNeeded(1, "only a constant exponent is supported");
        String x = c.in(0);
        String p = c.in(1);
        if (c.elemType(p) != c.elemType(x)) {
            p = c.emit("Cast", List.of(p), Attrs.i("to", c.elemType(x).getNumber()));
        }
        String xpm1 = c.emit("Pow", List.of(x, c.ops().sub(p, c.scalar(x, 1))));
        return binary(c, c.ops().mul(c.dy(), c.ops().mul(p, xpm1)), null);
    }

    private static List<String> sum(VjpContext c) {
        List<String> g = c.noGrads();
        for (int i = 0; i < c.inputCount(); i++) {
            if (c.needsGrad(i)) {
                g.set(i, c.unbroadcastTo(c.dy(), i));
            }
        }
        return g;
    }

    private static List<String> where(VjpContext c) {
        String zero = c.scalar(c.dy(), 0);
        List<String> g = c.noGrads();
        if (c.needsGrad(1)) {
            g.set(1, c.unbroadcastTo(c.ops().where(c.in(0), c.dy(), zero), 1));
        }
        if (c.needsGrad(2)) {
            g.set(2, c.unbroadcastTo(c.ops().where(c.in(0), zero, c.dy()), 2));
        }
        return g;
    }

    /** Dropout in inference (training_mode absent or a constant false): the identity, as ONNX Runtime runs it. */
    private static List<String> dropout(VjpContext c) {
        c.refuseIfNeeded(1, "the ratio is not differentiated");
        if (c.inputCount() > 2 && !c.in(2).isEmpty() && c.constInput(2, "training_mode")[0] != 0) {
            throw c.refuse("training_mode=true is not supported (inference only)");
        }
        return unary(c, c.dy());
    }

    /** A cast between floating types: the adjoint is cast back (integer results carry no derivative). */
    private static List<String> cast(VjpContext c) {
        DataType from = c.elemType(c.in(0));
        if (!Ops.isFloating(from)) {
            throw c.refuse("a cast from " + from + " carries no derivative");
        }
        return unary(c, from == c.elemType(c.dy()) ? c.dy()
                : c.emit("Cast", List.of(c.dy()), Attrs.i("to", from.getNumber())));
    }

    /** The adjoint passes where min <= x <= max (bounds themselves are not differentiated). */
    private static List<String> clip(VjpContext c) {
        c.refuseIfNeeded(1, "Clip bounds are not differentiated");
        c.refuseIfNeeded(2, "Clip bounds are not differentiated");
        String zero = c.scalar(c.dy(), 0);
        String dx = c.dy();
        if (c.inputCount() > 1 && !c.in(1).isEmpty()) {
            dx = c.ops().where(c.emit("Less", List.of(c.in(0), c.in(1))), zero, dx);
        }
        if (c.inputCount() > 2 && !c.in(2).isEmpty()) {
            dx = c.ops().where(c.emit("Greater", List.of(c.in(0), c.in(2))), zero, dx);
        }
        return unary(c, dx);
    }
}
