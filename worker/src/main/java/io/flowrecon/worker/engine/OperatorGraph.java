package io.flowrecon.worker.engine;

import io.flowrecon.shared.job.ImageShape;
import io.flowrecon.adjoint.onnx.GraphBuilder;
import io.flowrecon.adjoint.onnx.Ops;
import io.flowrecon.shared.operator.GaussianOperator;
import io.flowrecon.shared.operator.IdentityOperator;
import io.flowrecon.shared.operator.MaskOperator;
import io.flowrecon.shared.operator.MeasurementOperator;
import io.flowrecon.shared.operator.SubsampledDctOperator;

/**
 * A measurement operator as ONNX nodes inside the objective graph. Its data (a Gaussian matrix, a mask, the DCT
 * matrices and signs) become initialisers, so they are bound once per session and never re-sent per iteration.
 *
 * <p>Operators whose y is a subset of transformed pixels (masks, subsampled DCT) are written as a 0/1 (or
 * 0/scale) multiplication in the full n-dimensional space, with y scattered into that space once per solve:
 * ||S T x - y|| = ||mask * (T x) - S^T y|| because S S^T = I. That keeps the graph to Mul and MatMul, whose
 * adjoints are simple, instead of Gather / ScatterND.
 */
public sealed interface OperatorGraph extends OperatorForm
        permits OperatorGraph.Identity, OperatorGraph.Dense, OperatorGraph.Mask, OperatorGraph.SubsampledDct {

    /** One image's measurements y (length m) laid out as the graph's row (length {@link #width()}). */
    float[] layout(float[] measurements);

    /** Picks the graph form of a known operator. */
    static OperatorGraph of(MeasurementOperator operator, ImageShape shape) {
        if (operator.cols() != shape.size()) {
            throw new IllegalArgumentException("operator " + operator.describe() + " acts on " + operator.cols()
                    + " values but the image " + shape + " has " + shape.size());
        }
        if (operator instanceof IdentityOperator) {
            return new Identity(shape);
        }
        if (operator instanceof GaussianOperator gaussian) {
            return new Dense(shape, gaussian.rows(), gaussian.matrix(), gaussian.describe());
        }
        if (operator instanceof MaskOperator mask) {
            return new Mask(shape, mask.observedIndices(), mask.describe());
        }
        if (operator instanceof SubsampledDctOperator dct) {
            return new SubsampledDct(shape, dct.rows(), dct.signs(), dct.selectedIndices(), dct.describe());
        }
        throw new IllegalArgumentException("operator " + operator.describe() + " has no ONNX form; the engine knows "
                + "identity, gaussian, mask and subsampled-dct");
    }

    /** Denoising: A = I. */
    record Identity(ImageShape shape) implements OperatorGraph {
        public String append(GraphBuilder graph, String image, int batch) {
            return OperatorRows.flatten(graph, image, batch, shape);
        }

        public int width() {
            return shape.size();
        }

        public float[] layout(float[] measurements) {
            return measurements.clone();
        }

        public String identity() {
            return "identity(n=" + shape.size() + ")";
        }
    }

    /** A dense m x n matrix (row-major), applied as x [B, n] MatMul A^T [n, m]. */
    record Dense(ImageShape shape, int rows, float[] matrix, String identity) implements OperatorGraph {
        public String append(GraphBuilder graph, String image, int batch) {
            int n = shape.size();
            float[] transposed = new float[matrix.length];
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < n; j++) {
                    transposed[j * rows + i] = matrix[i * n + j];
                }
            }
            String at = graph.initializer(graph.freshName("operator_at"), transposed, n, rows);
            return new Ops(graph).matMul(OperatorRows.flatten(graph, image, batch, shape), at);
        }

        public int width() {
            return rows;
        }

        public float[] layout(float[] measurements) {
            return measurements.clone();
        }
    }

    /** Inpainting: a 0/1 mask over CHW values; y scattered to the observed positions. */
    record Mask(ImageShape shape, int[] observedIndices, String identity) implements OperatorGraph {
        public String append(GraphBuilder graph, String image, int batch) {
            float[] mask = new float[shape.size()];
            for (int index : observedIndices) {
                mask[index] = 1f;
            }
            String maskValue = graph.initializer(graph.freshName("operator_mask"), mask, 1, shape.size());
            return new Ops(graph).mul(OperatorRows.flatten(graph, image, batch, shape), maskValue);
        }

        public int width() {
            return shape.size();
        }

        public float[] layout(float[] measurements) {
            return OperatorRows.scatter(measurements, observedIndices, shape.size());
        }
    }

    /**
     * sqrt(n/m) S C D x: signs (Mul), the orthonormal DCT-II of each channel as D_H X D_W^T (two MatMuls over
     * the last two axes), then a 0/sqrt(n/m) mask over the selected coefficients.
     */
    record SubsampledDct(ImageShape shape, int rows, float[] signs, int[] selected, String identity) implements OperatorGraph {
        public String append(GraphBuilder graph, String image, int batch) {
            Ops ops = new Ops(graph);
            long c = shape.channels();
            long h = shape.height();
            long w = shape.width();
            String signValues = graph.initializer(graph.freshName("operator_signs"), signs, 1, c, h, w);
            String dctH = graph.initializer(graph.freshName("operator_dct_h"), dctMatrix(shape.height()), h, h);
            String dctWt = graph.initializer(graph.freshName("operator_dct_wt"), transpose(dctMatrix(shape.width()), shape.width()), w, w);
            float scale = (float) Math.sqrt((double) shape.size() / rows);
            float[] mask = new float[shape.size()];
            for (int index : selected) {
                mask[index] = scale;
            }
            String maskValue = graph.initializer(graph.freshName("operator_mask"), mask, 1, c, h, w);
            String signed = ops.mul(image, signValues);
            String coefficients = ops.matMul(ops.matMul(dctH, signed), dctWt);
            return OperatorRows.flatten(graph, ops.mul(coefficients, maskValue), batch, shape);
        }

        public int width() {
            return shape.size();
        }

        public float[] layout(float[] measurements) {
            return OperatorRows.scatter(measurements, selected, shape.size());
        }

        /** Orthonormal DCT-II matrix: D[k][i] = a_k cos(pi (2i + 1) k / 2N), a_0 = sqrt(1/N), a_k = sqrt(2/N). */
        static float[] dctMatrix(int size) {
            float[] d = new float[size * size];
            for (int k = 0; k < size; k++) {
                double a = k == 0 ? Math.sqrt(1.0 / size) : Math.sqrt(2.0 / size);
                for (int i = 0; i < size; i++) {
                    d[k * size + i] = (float) (a * Math.cos(Math.PI * (2 * i + 1) * k / (2.0 * size)));
                }
            }
            return d;
        }

        static float[] transpose(float[] square, int size) {
            float[] t = new float[square.length];
            for (int r = 0; r < size; r++) {
                for (int col = 0; col < size; col++) {
                    t[col * size + r] = square[r * size + col];
                }
            }
            return t;
        }
    }
}
