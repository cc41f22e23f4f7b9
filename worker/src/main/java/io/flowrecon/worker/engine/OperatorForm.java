package io.flowrecon.worker.engine;

import io.flowrecon.adjoint.onnx.GraphBuilder;

/**
 * What the objective graph needs of a batch's measurement operators: nodes from the image [B, C, H, W] to a
 * [B, width] row compared with the measurements. The data are either shared initialisers ({@link OperatorGraph}:
 * every image seen through one operator) or per-image graph inputs ({@link PerImageOperators}: each job its own).
 */
public interface OperatorForm {

    /** Appends the operator to {@code image} and returns the [B, width()] value compared with the measurements. */
    String append(GraphBuilder graph, String image, int batch);

    /** Length of one image's measurement row in the graph. */
    int width();

    /** What identifies the graph and any data baked into it: part of the session cache key. */
    String identity();
}
