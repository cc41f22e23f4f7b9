package io.flowrecon.worker.engine;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.flowrecon.shared.job.ImageShape;
import io.flowrecon.adjoint.AdjointBuilder;
import io.flowrecon.shared.operator.MeasurementOperator;
import io.flowrecon.worker.runtime.SessionFactory;
import java.nio.FloatBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An open ONNX Runtime session of one {@link ObjectiveGraph}: what the session cache holds. The operator's data
 * live in the session as initialisers ({@link OperatorGraph}) or are bound per solve with the measurements
 * ({@link PerImageOperators}); measurements are bound per solve with {@link #bind}. Thread-safe (ONNX
 * Runtime sessions are), so one cached session can serve concurrent solves, each with its own binding.
 */
public final class ObjectiveSession implements AutoCloseable {

    private final SessionFactory factory;
    private final OrtSession session;
    private final ObjectiveGraph graph;
    private final OperatorForm operator;
    private final ImageShape shape;
    private final int batch;
    private final int latent;

    private ObjectiveSession(SessionFactory factory, OrtSession session, ObjectiveGraph graph, OperatorForm operator,
                             ImageShape shape, int batch, int latent) {
        this.factory = factory;
        this.session = session;
        this.graph = graph;
        this.operator = operator;
        this.shape = shape;
        this.batch = batch;
        this.latent = latent;
    }

    public static ObjectiveSession open(SessionFactory factory, Prior prior, OperatorForm operator, int batch,
                                        double gamma, AdjointBuilder adjoints) {
        ObjectiveGraph graph = ObjectiveGraph.compose(prior, operator, batch, gamma, adjoints);
        OrtSession session = factory.open(graph.model().toByteArray());
        return new ObjectiveSession(factory, session, graph, operator, prior.shape(), batch, prior.latent());
    }

    /**
     * Binds one measurement vector per image of the batch (each of the operator's length m) for a solve.
     * Close the returned objective when the solve ends.
     */
    public BoundObjective bind(float[][] measurements) {
        if (!(operator instanceof OperatorGraph shared)) {
            throw new IllegalStateException("this session takes one operator per image: bind them with the measurements");
        }
        requireBatch(measurements.length, "measurement vectors");
        float[] laidOut = new float[batch * operator.width()];
        for (int b = 0; b < batch; b++) {
            System.arraycopy(shared.layout(measurements[b]), 0, laidOut, b * operator.width(), operator.width());
        }
        return new BoundObjective(this, laidOut, Map.of());
    }

    /**
     * Binds image b's own operator and measurements, for a session opened with {@link PerImageOperators}.
     * Close the returned objective when the solve ends.
     */
    public BoundObjective bind(List<MeasurementOperator> operators, List<float[]> measurements) {
        if (!(operator instanceof PerImageOperators perImage)) {
            throw new IllegalStateException("this session's operator is baked in: bind the measurements alone");
        }
        requireBatch(operators.size(), "operators");
        requireBatch(measurements.size(), "measurement vectors");
        float[] laidOut = new float[batch * operator.width()];
        for (int b = 0; b < batch; b++) {
            System.arraycopy(perImage.layout(operators.get(b), measurements.get(b)), 0, laidOut, b * operator.width(),
                    operator.width());
        }
        Map<String, OnnxTensor> data = new LinkedHashMap<>();
        try {
            for (PerImageOperators.Input input : perImage.inputs(operators)) {
                data.put(input.name(), OnnxTensor.createTensor(factory.environment(), FloatBuffer.wrap(input.values()), input.dims()));
            }
        } catch (OrtException e) {
            data.values().forEach(OnnxTensor::close);
            throw new IllegalStateException("could not bind the operators: " + e.getMessage(), e);
        }
        return new BoundObjective(this, laidOut, data);
    }

    private void requireBatch(int count, String what) {
        if (count != batch) {
            throw new IllegalArgumentException("this objective session solves batches of " + batch + " images, got "
                    + count + " " + what);
        }
    }

    SessionFactory factory() {
        return factory;
    }

    OrtSession session() {
        return session;
    }

    public ObjectiveGraph graph() {
        return graph;
    }

    public OperatorForm operator() {
        return operator;
    }

    public ImageShape shape() {
        return shape;
    }

    public int batch() {
        return batch;
    }

    public int latent() {
        return latent;
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("closing the objective session failed: " + e.getMessage(), e);
        }
    }
}
