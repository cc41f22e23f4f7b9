package io.flowrecon.shared.prior;

import io.flowrecon.adjoint.onnx.proto.GraphProto;
import io.flowrecon.adjoint.onnx.proto.ModelProto;
import io.flowrecon.adjoint.onnx.proto.TensorShapeProto;
import io.flowrecon.adjoint.onnx.proto.ValueInfoProto;

/**
 * The batch dimension of a written prior graph. Bundles are written {@link Symbolic} (dim_param "batch"), and
 * the engine pins it when it imports the graph ({@code GraphBuilder.from(model, Map.of("z", dims))}); every
 * Reshape inside uses -1 for the batch axis, so the graph is valid for any batch.
 */
public sealed interface BatchSize permits BatchSize.Symbolic, BatchSize.Fixed {

    /** The batch axis named {@code name} in the graph's inputs and outputs. */
    record Symbolic(String name) implements BatchSize {
        public Symbolic {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("batch: a symbolic batch needs a name");
            }
        }
    }

    /** A fixed batch of {@code size} images. */
    record Fixed(long size) implements BatchSize {
        public Fixed {
            if (size < 1) {
                throw new IllegalArgumentException("batch: size must be at least 1, got " + size);
            }
        }
    }

    static BatchSize symbolic() {
        return new Symbolic("batch");
    }

    static BatchSize of(long size) {
        return new Fixed(size);
    }

    /** The batch the graph is built with (static shape inference needs one; 1 stands for a symbolic batch). */
    default long buildSize() {
        return this instanceof Fixed fixed ? fixed.size() : 1;
    }

    /** Renames axis 0 of every graph input and output to the symbolic name; a fixed batch is left as built. */
    default ModelProto apply(ModelProto model) {
        if (!(this instanceof Symbolic symbolic)) {
            return model;
        }
        GraphProto.Builder g = model.getGraph().toBuilder();
        for (int i = 0; i < g.getInputCount(); i++) {
            g.setInput(i, withBatchAxis(g.getInput(i), symbolic.name()));
        }
        for (int i = 0; i < g.getOutputCount(); i++) {
            g.setOutput(i, withBatchAxis(g.getOutput(i), symbolic.name()));
        }
        return model.toBuilder().setGraph(g).build();
    }

    private static ValueInfoProto withBatchAxis(ValueInfoProto vi, String name) {
        ValueInfoProto.Builder b = vi.toBuilder();
        TensorShapeProto.Builder shape = b.getTypeBuilder().getTensorTypeBuilder().getShapeBuilder();
        shape.setDim(0, TensorShapeProto.Dimension.newBuilder().setDimParam(name));
        return b.build();
    }
}
