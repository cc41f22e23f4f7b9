package io.flowrecon.worker.engine;

import io.flowrecon.adjoint.onnx.GraphBuilder;
import io.flowrecon.adjoint.onnx.Ops;
import io.flowrecon.adjoint.onnx.proto.ModelProto;
import io.flowrecon.adjoint.onnx.proto.TensorProto.DataType;
import io.flowrecon.adjoint.AdjointBuilder;
import java.util.List;
import java.util.Map;

/**
 * The per-(prior, problem) objective as one ONNX graph (docs/ARCHITECTURE.md, "The numeric engine"):
 * inputs z [B, latent] and the measurements [B, width]; G(z), the operator, the per-image loss
 * L_b = ||A G(z_b) - y_b||^2 + gamma ||z_b||^2 of shape [B], then the reverse pass for dL_b/dz_b.
 * Seeding the adjoint of the [B] loss with ones differentiates sum_b L_b, whose gradient with respect to
 * z_b is dL_b/dz_b because images do not interact.
 *
 * @param model            the composed graph, forward and reverse
 * @param latentInput      name of the input z
 * @param measurementInput name of the input holding the laid-out measurements
 * @param loss             output [B]: the full objective
 * @param measurementLoss  output [B]: ||A G(z) - y||^2 alone (what GAN restarts are ranked by)
 * @param gradient         output [B, latent]: dL/dz
 * @param image            output [B, C, H, W]: G(z)
 */
public record ObjectiveGraph(ModelProto model, String latentInput, String measurementInput, String loss,
                             String measurementLoss, String gradient, String image) {

    /**
     * Composes the forward objective and appends its reverse pass.
     *
     * @param gamma weight of ||z||^2 (0 for the paper's CS and inpainting; the paper's denoising uses gamma > 0)
     */
    public static ObjectiveGraph compose(Prior prior, OperatorForm operator, int batch, double gamma, AdjointBuilder adjoints) {
        Forward forward = forward(prior, operator, batch, gamma);
        GraphBuilder g = forward.graph();
        String gradientValue = adjoints.appendGradients(g, forward.loss(), List.of(forward.latent())).get(forward.latent());
        String gradient = g.node("Identity", List.of(gradientValue), "grad_" + forward.latent());
        g.output(gradient);
        // The adjoint's unit-stride ConvTransposes run as Conv (ONNX Runtime's CPU Conv is about twice as fast)
        return new ObjectiveGraph(ConvTransposeAsConv.rewrite(g.build()), forward.latent(), forward.measurements(), forward.loss(),
                forward.measurementLoss(), gradient, forward.image());
    }

    /** The forward part alone (also what tests compare the operator nodes with the Java operators on). */
    static Forward forward(Prior prior, OperatorForm operator, int batch, double gamma) {
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be >= 1, got " + batch);
        }
        if (!(gamma >= 0) || !Double.isFinite(gamma)) {
            throw new IllegalArgumentException("gamma must be a finite number >= 0, got " + gamma);
        }
        GraphBuilder g = GraphBuilder.from(prior.generator(), Map.of(prior.latentInput(), new long[] {batch, prior.latent()}));
        Ops ops = new Ops(g);
        String z = prior.latentInput();
        String image = prior.imageOutput();
        long[] expected = {batch, prior.shape().channels(), prior.shape().height(), prior.shape().width()};
        if (!java.util.Arrays.equals(g.shape(image).dims(), expected)) {
            throw new IllegalArgumentException("prior " + prior.id() + ": generator output '" + image + "' has shape "
                    + g.shape(image) + ", the card promises " + java.util.Arrays.toString(expected));
        }
        String measurements = g.inputFloat(g.freshName("measurements"), batch, operator.width());
        String residual = ops.sub(operator.append(g, image, batch), measurements);
        String measurementLoss = g.node("Identity", List.of(rowSquaredNorms(ops, residual, batch, operator.width())),
                "measurement_loss");
        String loss;
        if (gamma > 0) {
            String latentEnergy = rowSquaredNorms(ops, z, batch, prior.latent());
            String weighted = ops.mul(latentEnergy, g.scalar("gamma", DataType.FLOAT, gamma));
            loss = g.node("Add", List.of(measurementLoss, weighted), "loss");
        } else {
            loss = g.node("Identity", List.of(measurementLoss), "loss");
        }
        g.output(loss);
        g.output(measurementLoss);
        g.output(image);
        return new Forward(g, z, measurements, loss, measurementLoss, image);
    }

    /**
     * ||x_b||^2 of each row of x [batch, width], as one dot product per row (a batched MatMul of [batch, 1, width] by
     * [batch, width, 1]), not a ReduceSum: ONNX Runtime reduces a [1, width] tensor on another path than the rows of
     * a [batch, width] one, so a ReduceSum made a job's loss differ in the last bit between batch 1 and 8, and a
     * line search branches on those bits. The batched MatMul runs the same dot product for a row at every batch
     * size; its gradient, 2 g x_b, is the one the Mul of x by itself had, to the bit.
     */
    private static String rowSquaredNorms(Ops ops, String x, int batch, int width) {
        String asRow = ops.reshape(x, batch, 1, width);
        String asColumn = ops.reshape(x, batch, width, 1);
        return ops.reshape(ops.matMul(asRow, asColumn), batch);
    }

    record Forward(GraphBuilder graph, String latent, String measurements, String loss, String measurementLoss, String image) {
    }
}
