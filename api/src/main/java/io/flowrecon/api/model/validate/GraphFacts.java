package io.flowrecon.api.model.validate;

import io.flowrecon.adjoint.onnx.proto.ModelProto;
import io.flowrecon.shared.job.ImageShape;

/**
 * What the generator's graph says about itself: G maps {@code latentInput} [batch, latent] to
 * {@code imageOutput} [batch, C, H, W].
 */
public record GraphFacts(ModelProto model, String latentInput, String imageOutput, int latent, ImageShape shape,
                         long opset) {
}
