package io.flowrecon.worker.engine;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.flowrecon.worker.optim.BatchObjective;
import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * An objective session with one solve's measurements (and, for per-image operators, the operators' data) bound:
 * the tensors are made once here and passed to every run, and each {@link #evaluate} is exactly one {@code session.run} for the whole batch.
 */
public final class BoundObjective implements BatchObjective, AutoCloseable {

    private final ObjectiveSession objective;
    private final OnnxTensor measurements;
    private final Map<String, OnnxTensor> operatorData;
    private final Set<String> lossAndGradient;
    private final Set<String> imageAndMeasurementLoss;
    private int runs;

    /** @param operatorData per-image operator inputs by name (empty when the operator is baked into the session); owned */
    BoundObjective(ObjectiveSession objective, float[] laidOutMeasurements, Map<String, OnnxTensor> operatorData) {
        this.objective = objective;
        this.operatorData = operatorData;
        ObjectiveGraph graph = objective.graph();
        this.lossAndGradient = Set.of(graph.loss(), graph.gradient());
        this.imageAndMeasurementLoss = Set.of(graph.image(), graph.measurementLoss());
        try {
            this.measurements = OnnxTensor.createTensor(objective.factory().environment(),
                    FloatBuffer.wrap(laidOutMeasurements), new long[] {objective.batch(), objective.operator().width()});
        } catch (OrtException e) {
            operatorData.values().forEach(OnnxTensor::close);
            throw new IllegalStateException("could not bind the measurements: " + e.getMessage(), e);
        }
    }

    @Override
    public int batch() {
        return objective.batch();
    }

    @Override
    public int dimension() {
        return objective.latent();
    }

    @Override
    public void evaluate(float[] latents, double[] losses, float[] gradients) {
        ObjectiveGraph graph = objective.graph();
        try (OrtSession.Result result = run(latents, lossAndGradient)) {
            FloatBuffer loss = floats(result, graph.loss());
            for (int b = 0; b < losses.length; b++) {
                losses[b] = loss.get(b);
            }
            floats(result, graph.gradient()).get(gradients);
        }
    }

    /** G(z) and the measurement loss ||A G(z) - y||^2 of every image at {@code latents}. */
    public Images images(float[] latents) {
        ObjectiveGraph graph = objective.graph();
        try (OrtSession.Result result = run(latents, imageAndMeasurementLoss)) {
            FloatBuffer image = floats(result, graph.image());
            float[] values = new float[image.remaining()];
            image.get(values);
            FloatBuffer loss = floats(result, graph.measurementLoss());
            double[] measurementLosses = new double[objective.batch()];
            for (int b = 0; b < measurementLosses.length; b++) {
                measurementLosses[b] = loss.get(b);
            }
            return new Images(values, measurementLosses);
        }
    }

    /**
     * @param values            [B, C, H, W] flattened
     * @param measurementLosses [B]
     */
    public record Images(float[] values, double[] measurementLosses) {

        /** Image b, CHW. */
        public float[] image(int b) {
            int size = values.length / measurementLosses.length;
            float[] out = new float[size];
            System.arraycopy(values, b * size, out, 0, size);
            return out;
        }
    }

    /** Session runs made so far (each is one evaluation of the whole batch). */
    public int runs() {
        return runs;
    }

    private OrtSession.Result run(float[] latents, Set<String> outputs) {
        int expected = objective.batch() * objective.latent();
        if (latents.length != expected) {
            throw new IllegalArgumentException("latents: expected " + expected + " values, got " + latents.length);
        }
        ObjectiveGraph graph = objective.graph();
        try (OnnxTensor z = OnnxTensor.createTensor(objective.factory().environment(), FloatBuffer.wrap(latents),
                new long[] {objective.batch(), objective.latent()})) {
            runs++;
            Map<String, OnnxTensor> inputs = new HashMap<>(operatorData);
            inputs.put(graph.latentInput(), z);
            inputs.put(graph.measurementInput(), measurements);
            return objective.session().run(inputs, outputs);
        } catch (OrtException e) {
            throw new IllegalStateException("objective run failed: " + e.getMessage(), e);
        }
    }

    private static FloatBuffer floats(OrtSession.Result result, String name) {
        OnnxValue value = result.get(name).orElseThrow(() -> new IllegalStateException("objective output '" + name + "' missing"));
        return ((OnnxTensor) value).getFloatBuffer();
    }

    @Override
    public void close() {
        measurements.close();
        operatorData.values().forEach(OnnxTensor::close);
    }
}
