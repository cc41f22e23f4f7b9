package io.flowrecon.adjoint;

import io.flowrecon.adjoint.onnx.Attrs;
import io.flowrecon.adjoint.onnx.Ops;
import java.util.List;
import java.util.Map;

/**
 * Element-wise operators. Binary ones broadcast (numpy rules), so each input's adjoint is reduced back to the
 * input's shape ({@link Ops#unbroadcast}). Unary derivatives reuse the forward output where the formula allows
 * (exp, sigmoid, tanh, sqrt), as ORT's gradient_builder does, to avoid recomputing.
 */
final class ElementwiseRules {
    private ElementwiseRules() {
    }

    static void register(Map<String, VjpRule> m) {
        m.put("Identity", c -> unary(c, c.dy()));
        m.put("Neg", c -> unary(c, c.ops().neg(c.dy())));
        m.put("Exp", c -> unary(c, c.ops().mul(c.dy(), c.out(0))));
        m.put("Log", c -> unary(c, c.ops().div(c.dy(), c.in(0))));
        // d sqrt(x) = 1 / (2 sqrt(x))
        m.put("Sqrt", c -> unary(c, c.ops().div(c.ops().scale(c.dy(), 0.5), c.out(0))));
        // s' = s (1 - s)
        m.put("Sigmoid", c -> unary(c, c.ops().mul(c.dy(), c.ops().mul(c.out(0),
                c.ops().sub(c.scalar(c.out(0), 1), c.out(0))))));
        // tanh' = 1 - tanh^2
        m.put("Tanh", c -> unary(c, c.ops().mul(c.dy(), c.ops().sub(c.scalar(c.out(0), 1),
                c.ops().mul(c.out(0), c.out(0))))));
        m.put("Relu", c -> unary(c, c.ops().where(positive(c), c.dy(), c.scalar(c.dy(), 0))));
        m.put("LeakyRelu", c -> unary(c, c.ops().where(positive(c), c.dy(),
                c.ops().scale(c.dy(), c.floatAttr("alpha", 0.01f)))));
        // softplus(x) = log(1 + e^x), derivative sigmoid(x)
        m.put("Softplus", c -> unary(c, c.ops().mul(c.dy(), c.ops().sigmoid(c.in(0)))));
        m.put("Clip", ElementwiseRules::clip);
        m.put("Add", c -> binary(c, c.dy(), c.dy()));
        m.put("Sub", c -> binary(c, c.dy(), c.needsGrad(1) ? c.ops().neg(c.dy()) : null));
        m.put("Mul", c -> binary(c, c.needsGrad(0) ? c.ops().mul(c.dy(), c.in(1)) : null,
                c.needsGrad(1) ? c.ops().mul(c.dy(), c.in(0)) : null));
        // d(a/b)/db = -(a/b)/b
        m.put("Div", c -> binary(c, c.needsGrad(0) ? c.ops().div(c.dy(), c.in(1)) : null,
                c.needsGrad(1) ? c.ops().neg(c.ops().mul(c.dy(), c.ops().div(c.out(0), c.in(1)))) : null));
        m.put("Pow", ElementwiseRules::pow);
        m.put("Sum", ElementwiseRules::sum);
        m.put("Where", ElementwiseRules::where);
    }

    private static List<String> unary(VjpContext c, String dx) {
        List<String> g = c.noGrads();
        g.set(0, dx);
        return g;
    }

    private static String positive(VjpContext c) {
        return c.emit("Greater", List.of(c.in(0), c.scalar(c.in(0), 0)));
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
