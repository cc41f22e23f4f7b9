package io.flowrecon.worker.engine;

import io.flowrecon.adjoint.onnx.GraphBuilder;
import io.flowrecon.adjoint.onnx.Ops;
import io.flowrecon.shared.job.ImageShape;
import io.flowrecon.shared.operator.GaussianOperator;
import io.flowrecon.shared.operator.MaskOperator;
import io.flowrecon.shared.operator.MeasurementOperator;
import io.flowrecon.shared.operator.SubsampledDctOperator;
import java.util.List;

/**
 * A batch whose images each have their own measurement operator (the jobs of a sweep differ in operator seed and
 * mask): the operators' data are inputs of the objective graph, bound per solve with the measurements, instead of
 * the initialisers of {@link OperatorGraph}. One session then serves every batch of the same kind and shape.
 * The arithmetic per image is {@link OperatorGraph}'s: the same nodes, with a leading batch axis on the data.
 */
public sealed interface PerImageOperators extends OperatorForm
        permits PerImageOperators.Dense, PerImageOperators.Mask, PerImageOperators.SubsampledDct {

    /** One named graph input and its values for a whole batch. */
    record Input(String name, float[] values, long[] dims) {
    }

    /** The inputs {@link #append} declared, filled from one operator per image of the batch. */
    List<Input> inputs(List<MeasurementOperator> operators);

    /** Image b's measurements y (length m) laid out as its row, through image b's own operator. */
    float[] layout(MeasurementOperator operator, float[] measurements);

    /**
     * The per-image form for these operators, which must share kind and size (masks may observe different counts:
     * their rows are scattered to n values); identity operators carry no data and use {@link OperatorGraph} instead.
     */
    static PerImageOperators of(List<MeasurementOperator> operators, ImageShape shape) {
        MeasurementOperator first = operators.get(0);
        for (MeasurementOperator operator : operators) {
            boolean sameRows = operator.rows() == first.rows() || first instanceof MaskOperator;
            if (operator.getClass() != first.getClass() || !sameRows || operator.cols() != shape.size()) {
                throw new IllegalArgumentException("operators of one batch must share kind and size: "
                        + first.describe() + " and " + operator.describe());
            }
        }
        if (first instanceof GaussianOperator) {
            return new Dense(shape, first.rows());
        }
        if (first instanceof MaskOperator) {
            return new Mask(shape);
        }
        if (first instanceof SubsampledDctOperator) {
            return new SubsampledDct(shape, first.rows());
        }
        throw new IllegalArgumentException("operator " + first.describe() + " has no per-image ONNX form; the engine "
                + "knows gaussian, mask and subsampled-dct");
    }

    /**
     * Dense m x n matrices A_b, input [B, n, m] holding each A_b^T: y_b = x_b A_b^T as one batched MatMul of
     * [B, 1, n] by [B, n, m] (the adjoint's transpose of the input is fused into its MatMul by ONNX Runtime).
     *
     * <p>Why A^T and x A^T: ONNX Runtime then runs each batch entry as the one-row GEMM that
     * {@link OperatorGraph.Dense} runs for a lone image, and the loss is bit for bit {@link OperatorGraph.Dense}'s;
     * A_b x_b differed in the last bits. The gradient still differs from {@link OperatorGraph.Dense}'s in the last
     * bits (6.7e-6 of 20 on celeba32-glow) but not between batch sizes, which is why the latent solvers use this
     * form for every Gaussian job, alone or batched (docs/BENCHMARKS.md, "Micro-batching").
     */
    record Dense(ImageShape shape, int rows) implements PerImageOperators {
        static final String TRANSPOSED = "operator_transposed_matrices";

        public String append(GraphBuilder graph, String image, int batch) {
            Ops ops = new Ops(graph);
            String transposed = graph.inputFloat(TRANSPOSED, batch, shape.size(), rows);
            String row = ops.reshape(OperatorRows.flatten(graph, image, batch, shape), batch, 1, shape.size());
            return ops.reshape(ops.matMul(row, transposed), batch, rows);
        }

        public int width() {
            return rows;
        }

        public String identity() {
            return "per-image gaussian(m=" + rows + ", n=" + shape.size() + ")";
        }

        public List<Input> inputs(List<MeasurementOperator> operators) {
            int n = shape.size();
            float[] transposed = new float[operators.size() * rows * n];
            for (int b = 0; b < operators.size(); b++) {
                float[] matrix = ((GaussianOperator) operators.get(b)).matrix();
                int offset = b * rows * n;
                for (int i = 0; i < rows; i++) {
                    for (int j = 0; j < n; j++) {
                        transposed[offset + j * rows + i] = matrix[i * n + j];
                    }
                }
            }
            return List.of(new Input(TRANSPOSED, transposed, new long[] {operators.size(), n, rows}));
        }

        public float[] layout(MeasurementOperator operator, float[] measurements) {
            if (measurements.length != rows) {
                throw new IllegalArgumentException("measurements: expected " + rows + " values, got " + measurements.length);
            }
            return measurements.clone();
        }
    }

    /** Inpainting: a 0/1 mask per image, input [B, n]. */
    record Mask(ImageShape shape) implements PerImageOperators {
        static final String MASKS = "operator_masks";

        public String append(GraphBuilder graph, String image, int batch) {
            String masks = graph.inputFloat(MASKS, batch, shape.size());
            return new Ops(graph).mul(OperatorRows.flatten(graph, image, batch, shape), masks);
        }

        public int width() {
            return shape.size();
        }

        public String identity() {
            return "per-image mask(n=" + shape.size() + ")";
        }

        public List<Input> inputs(List<MeasurementOperator> operators) {
            int n = shape.size();
            float[] values = new float[operators.size() * n];
            for (int b = 0; b < operators.size(); b++) {
                for (int index : ((MaskOperator) operators.get(b)).observedIndices()) {
                    values[b * n + index] = 1f;
                }
            }
            return List.of(new Input(MASKS, values, new long[] {operators.size(), n}));
        }

        public float[] layout(MeasurementOperator operator, float[] measurements) {
            return OperatorRows.scatter(measurements, ((MaskOperator) operator).observedIndices(), shape.size());
        }
    }

    /**
     * sqrt(n/m) S_b C D_b x: per-image signs and coefficient masks (inputs [B, C, H, W]), the shared orthonormal
     * DCT-II matrices as initialisers, in {@link OperatorGraph.SubsampledDct}'s order of nodes.
     */
    record SubsampledDct(ImageShape shape, int rows) implements PerImageOperators {
        static final String SIGNS = "operator_signs";
        static final String MASKS = "operator_masks";

        public String append(GraphBuilder graph, String image, int batch) {
            Ops ops = new Ops(graph);
            long c = shape.channels();
            long h = shape.height();
            long w = shape.width();
            String signs = graph.inputFloat(SIGNS, batch, c, h, w);
            String masks = graph.inputFloat(MASKS, batch, c, h, w);
            String dctH = graph.initializer(graph.freshName("operator_dct_h"),
                    OperatorGraph.SubsampledDct.dctMatrix(shape.height()), h, h);
            float[] dctWt = OperatorGraph.SubsampledDct.transpose(OperatorGraph.SubsampledDct.dctMatrix(shape.width()), shape.width());
            String dctWtValue = graph.initializer(graph.freshName("operator_dct_wt"), dctWt, w, w);
            String coefficients = ops.matMul(ops.matMul(dctH, ops.mul(image, signs)), dctWtValue);
            return OperatorRows.flatten(graph, ops.mul(coefficients, masks), batch, shape);
        }

        public int width() {
            return shape.size();
        }

        public String identity() {
            return "per-image subsampled-dct(m=" + rows + ", n=" + shape.size() + ")";
        }

        public List<Input> inputs(List<MeasurementOperator> operators) {
            int n = shape.size();
            long[] dims = {operators.size(), shape.channels(), shape.height(), shape.width()};
            float[] signs = new float[operators.size() * n];
            float[] masks = new float[operators.size() * n];
            float scale = (float) Math.sqrt((double) n / rows);
            for (int b = 0; b < operators.size(); b++) {
                SubsampledDctOperator dct = (SubsampledDctOperator) operators.get(b);
                System.arraycopy(dct.signs(), 0, signs, b * n, n);
                for (int index : dct.selectedIndices()) {
                    masks[b * n + index] = scale;
                }
            }
            return List.of(new Input(SIGNS, signs, dims), new Input(MASKS, masks, dims));
        }

        public float[] layout(MeasurementOperator operator, float[] measurements) {
            return OperatorRows.scatter(measurements, ((SubsampledDctOperator) operator).selectedIndices(), shape.size());
        }
    }
}
