package io.flowrecon.adjoint;

import java.util.List;

/**
 * The vector-Jacobian product of one operator: given the adjoints of a node's outputs, emit ONNX nodes that
 * compute the adjoints of its inputs (as in tinygrad's gradient.py, one small function per op).
 */
@FunctionalInterface
public interface VjpRule {
    /**
     * Returns one entry per node input: the name of its adjoint, or null where {@link VjpContext#needsGrad}
     * is false. A rule that cannot differentiate an input it is asked for throws
     * {@link UnsupportedOperationException} naming the node ({@link VjpContext#refuse}).
     */
    List<String> vjp(VjpContext ctx);
}
