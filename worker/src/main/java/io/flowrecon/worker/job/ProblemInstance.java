package io.flowrecon.worker.job;

import io.flowrecon.shared.image.Image;
import io.flowrecon.shared.job.ImageShape;
import io.flowrecon.shared.operator.MeasurementOperator;

/**
 * One job's inverse problem, ready for a solver.
 *
 * @param measurements     y, length operator.rows()
 * @param truth            the ground truth (CHW, [0, 1]) when the user gave it, else null
 * @param measurementImage y shown as an image (denoising, inpainting), else null
 */
record ProblemInstance(MeasurementOperator operator, float[] measurements, ImageShape shape, float[] truth,
                       Image measurementImage) {
}
