package io.flowrecon.adjoint;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** The table of adjoint rules, keyed by ONNX op type (default domain, opset 17 semantics). Immutable. */
public final class VjpRules {
    private final Map<String, VjpRule> byOpType;

    private VjpRules(Map<String, VjpRule> byOpType) {
        this.byOpType = Map.copyOf(byOpType);
    }

    /** Every rule flowrecon ships: element-wise, linear algebra, convolution, shape, reduction, normalisation. */
    public static VjpRules standard() {
        Map<String, VjpRule> m = new TreeMap<>();
        ElementwiseRules.register(m);
        LinearAlgebraRules.register(m);
        ConvRules.register(m);
        ShapeRules.register(m);
        ReductionRules.register(m);
        NormalizationRules.register(m);
        m.put("Resize", ResizeRule::vjp);
        return new VjpRules(m);
    }

    /** A copy with one rule added or replaced (e.g. a custom operator of a prior). */
    public VjpRules with(String opType, VjpRule rule) {
        Map<String, VjpRule> m = new TreeMap<>(byOpType);
        m.put(opType, rule);
        return new VjpRules(m);
    }

    public Optional<VjpRule> rule(String opType) {
        return Optional.ofNullable(byOpType.get(opType));
    }

    public Set<String> opTypes() {
        return new TreeSet<>(byOpType.keySet());
    }
}
