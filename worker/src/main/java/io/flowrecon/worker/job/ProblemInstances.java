package io.flowrecon.worker.job;

import io.flowrecon.shared.image.Image;
import io.flowrecon.shared.image.Png;
import io.flowrecon.shared.job.ImageShape;
import io.flowrecon.shared.job.JobSpec;
import io.flowrecon.shared.job.Float32;
import io.flowrecon.shared.job.StoredSpecs;
import io.flowrecon.shared.job.Problem;
import io.flowrecon.shared.operator.MaskOperator;
import io.flowrecon.shared.operator.MeasurementOperator;
import io.flowrecon.shared.operator.Measurements;
import io.flowrecon.shared.operator.Operators;
import io.flowrecon.worker.store.StoredJob;

/**
 * Builds a job's operator and measurements from its stored inputs (exactly one of them is set):
 * a truth image (measurements simulated from it, so the result can be scored), an uploaded
 * measurement image (denoising: the noisy image; inpainting: the image, observed through the
 * mask), or an uploaded measurement vector.
 */
final class ProblemInstances {

    ProblemInstances() {
    }

    /** @throws IllegalArgumentException (or ImageFormatException) naming the input that is wrong */
    ProblemInstance build(JobSpec spec, StoredJob stored) {
        ImageShape declared = StoredSpecs.imageShape(stored.specJson());
        Problem problem = spec.problem();
        if (stored.truthPng() != null) {
            Image truth = decode(stored.truthPng(), declared, "truth");
            Measurements simulated = Measurements.simulate(problem, truth.values(), truth.shape());
            return new ProblemInstance(simulated.operator(), simulated.values(), truth.shape(), truth.values(),
                    simulated.image());
        }
        if (stored.measurementPng() != null) {
            if (problem instanceof Problem.CompressiveSensing) {
                throw new IllegalArgumentException("measurements: compressive sensing takes a measurement vector, not an image");
            }
            Image observed = decode(stored.measurementPng(), declared, "measurements");
            MeasurementOperator operator = Operators.create(problem, observed.shape());
            float[] y = new float[operator.rows()];
            operator.apply(observed.values(), y);
            Image shown = operator instanceof MaskOperator mask ? mask.render(y) : observed;
            return new ProblemInstance(operator, y, observed.shape(), null, shown);
        }
        if (stored.measurementValues() != null) {
            if (declared == null) {
                throw new IllegalArgumentException("imageShape: a job with a measurement vector needs the image shape in its spec");
            }
            float[] y = Float32.values(stored.measurementValues());
            MeasurementOperator operator = Operators.create(problem, declared);
            if (y.length != operator.rows()) {
                throw new IllegalArgumentException("measurements: " + y.length + " values, but the operator "
                        + operator.describe() + " makes " + operator.rows());
            }
            return new ProblemInstance(operator, y, declared, null, null);
        }
        throw new IllegalArgumentException("inputs: the job has no truth image, measurement image or measurement vector");
    }

    private static Image decode(byte[] png, ImageShape declared, String field) {
        Image image = Png.decode(png);
        if (declared != null && !declared.equals(image.shape())) {
            throw new IllegalArgumentException(field + ": image is " + image.shape() + " but the spec says " + declared);
        }
        return image;
    }
}
