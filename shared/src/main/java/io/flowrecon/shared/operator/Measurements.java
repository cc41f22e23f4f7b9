package io.flowrecon.shared.operator;

import io.flowrecon.shared.image.Image;
import io.flowrecon.shared.job.ImageShape;
import io.flowrecon.shared.job.Problem;

import java.util.Optional;

/**
 * Simulated measurements of a known image: the operator A, y = A x + eta, and y drawn as an image
 * where that makes sense (denoising: the noisy image; inpainting: the masked noisy image, missing
 * pixels black; compressive sensing: none).
 *
 * @param operator the measurement operator A
 * @param values   y, length {@code operator.rows()}
 * @param image    y as an image for display (clipped to [0, 1]), or null
 */
public record Measurements(MeasurementOperator operator, float[] values, Image image) {

    public Optional<Image> displayImage() {
        return Optional.ofNullable(image);
    }

    /**
     * Simulates the measurements of {@code truth} (CHW, {@code shape.size()} values). Noise is drawn
     * in measurement space for denoising and compressive sensing (y = A x + eta), and in image space
     * for inpainting, which observes the noisy image through the mask (y = M (x + eta)).
     */
    public static Measurements simulate(Problem problem, float[] truth, ImageShape shape) {
        if (truth.length != shape.size()) {
            throw new IllegalArgumentException("truth: expected " + shape.size() + " values for shape " + shape
                    + ", got " + truth.length);
        }
        MeasurementOperator operator = Operators.create(problem, shape);
        if (problem instanceof Problem.Inpainting) {
            float[] noisy = plus(truth, NoiseSampler.sample(problem.noise(), truth.length));
            float[] y = new float[operator.rows()];
            operator.apply(noisy, y);
            return new Measurements(operator, y, ((MaskOperator) operator).render(y));
        }
        float[] y = new float[operator.rows()];
        operator.apply(truth, y);
        y = plus(y, NoiseSampler.sample(problem.noise(), y.length));
        Image image = problem instanceof Problem.Denoising ? new Image(shape, y).clipped() : null;
        return new Measurements(operator, y, image);
    }

    private static float[] plus(float[] a, float[] b) {
        float[] out = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i] + b[i];
        }
        return out;
    }
}
