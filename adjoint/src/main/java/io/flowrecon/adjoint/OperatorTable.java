package io.flowrecon.adjoint;

import io.flowrecon.adjoint.onnx.ShapeInference;
import io.flowrecon.adjoint.onnx.ShapeRule;
import io.flowrecon.adjoint.ops.StandardOperators;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The one table of operators, keyed by ONNX op type (default domain, opset 17 semantics): for each, its shape
 * rule (forward) and, where it is differentiated, its vector-Jacobian product (reverse), registered side by
 * side by the operator's family ({@code io.flowrecon.adjoint.ops}). Immutable.
 */
public final class OperatorTable {
    private static final OperatorTable STANDARD = standardTable();

    private record Entry(ShapeRule shape, VjpRule vjp) {
    }

    private final Map<String, Entry> byOpType;
    private final ShapeInference shapeInference;

    private OperatorTable(Map<String, Entry> byOpType) {
        this.byOpType = Map.copyOf(byOpType);
        Map<String, ShapeRule> shapes = new TreeMap<>();
        byOpType.forEach((op, e) -> shapes.put(op, e.shape()));
        this.shapeInference = new ShapeInference(shapes);
    }

    /** Every operator flowrecon ships (the list in adjoint/README.md). */
    public static OperatorTable standard() {
        return STANDARD;
    }

    private static OperatorTable standardTable() {
        Builder b = new Builder();
        StandardOperators.register(b);
        return b.build();
    }

    /** A copy with one operator added or replaced (e.g. a custom operator of a prior); vjp null: not differentiated. */
    public OperatorTable with(String opType, ShapeRule shape, VjpRule vjp) {
        Map<String, Entry> m = new TreeMap<>(byOpType);
        m.put(opType, new Entry(shape, vjp));
        return new OperatorTable(m);
    }

    /** A copy with the adjoint of a known operator replaced, its shape rule kept. */
    public OperatorTable withVjp(String opType, VjpRule vjp) {
        Entry e = byOpType.get(opType);
        if (e == null) {
            throw new IllegalArgumentException("operator " + opType + " is not in the table; add it with with()");
        }
        return with(opType, e.shape(), vjp);
    }

    public Optional<VjpRule> vjp(String opType) {
        return Optional.ofNullable(byOpType.get(opType)).map(Entry::vjp);
    }

    /** The shape rules of every operator, as the walker a {@code GraphBuilder} infers with. */
    public ShapeInference shapeInference() {
        return shapeInference;
    }

    /** Every operator with a shape rule. */
    public Set<String> opTypes() {
        return new TreeSet<>(byOpType.keySet());
    }

    /** The operators with an adjoint. */
    public Set<String> differentiable() {
        Set<String> ops = new TreeSet<>();
        byOpType.forEach((op, e) -> {
            if (e.vjp() != null) {
                ops.add(op);
            }
        });
        return ops;
    }

    /** Collects an operator family's entries; an op type registered twice is a mistake and refused. */
    public static final class Builder {
        private final Map<String, Entry> entries = new TreeMap<>();

        /** An operator with both rules. */
        public Builder define(String opType, ShapeRule shape, VjpRule vjp) {
            if (entries.putIfAbsent(opType, new Entry(shape, vjp)) != null) {
                throw new IllegalStateException("operator " + opType + " is registered twice");
            }
            return this;
        }

        /** An operator shapes are inferred for but that is not differentiated (integer helpers, comparisons). */
        public Builder shapeOnly(String opType, ShapeRule shape) {
            return define(opType, shape, null);
        }

        public OperatorTable build() {
            return new OperatorTable(entries);
        }
    }
}
