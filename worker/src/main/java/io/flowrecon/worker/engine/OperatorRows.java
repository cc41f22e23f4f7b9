package io.flowrecon.worker.engine;

import io.flowrecon.adjoint.onnx.GraphBuilder;
import io.flowrecon.adjoint.onnx.Ops;
import io.flowrecon.shared.job.ImageShape;

/** Helpers both operator forms share: images as rows, and subsets of an image's values scattered into a row. */
final class OperatorRows {

    private OperatorRows() {
    }

    /** [B, C, H, W] as [B, n]. */
    static String flatten(GraphBuilder graph, String image, int batch, ImageShape shape) {
        return new Ops(graph).reshape(image, batch, shape.size());
    }

    /** y (one value per index) as a length-n row, zero elsewhere. */
    static float[] scatter(float[] measurements, int[] indices, int n) {
        if (measurements.length != indices.length) {
            throw new IllegalArgumentException("measurements: expected " + indices.length + " values, got " + measurements.length);
        }
        float[] row = new float[n];
        for (int k = 0; k < indices.length; k++) {
            row[indices[k]] = measurements[k];
        }
        return row;
    }
}
