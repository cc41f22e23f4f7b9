package io.flowrecon.worker.engine;

import io.flowrecon.shared.job.ImageShape;
import io.flowrecon.shared.model.ModelBundle;
import io.flowrecon.shared.model.ModelBundleException;
import io.flowrecon.adjoint.onnx.OnnxFiles;
import io.flowrecon.adjoint.onnx.proto.ModelProto;
import io.flowrecon.adjoint.onnx.proto.TensorShapeProto;
import io.flowrecon.adjoint.onnx.proto.ValueInfoProto;

/**
 * A generative prior as the engine needs it: the generator graph G: z [B, latent] -> x [B, C, H, W] in [0, 1].
 *
 * @param id        model id (for messages)
 * @param sha256    identifies the weights; part of the session cache key
 * @param generator the generator's ModelProto (batch dimension may be symbolic or any fixed value)
 * @param shape     image shape C x H x W
 * @param latent    latent size
 */
public record Prior(String id, String sha256, ModelProto generator, ImageShape shape, int latent) {

    public Prior {
        if (generator.getGraph().getInputCount() < 1 || generator.getGraph().getOutputCount() < 1) {
            throw new IllegalArgumentException("prior " + id + ": the generator graph needs an input z and an output x");
        }
    }

    /** Fails with a message naming both shapes unless this prior makes images of {@code imageShape}. */
    public void requireShape(ImageShape imageShape) {
        if (!shape.equals(imageShape)) {
            throw new IllegalArgumentException("image shape " + imageShape + " does not match prior " + id
                    + ", which makes " + shape + " images");
        }
    }

    /** Name of the generator's latent input. */
    public String latentInput() {
        return generator.getGraph().getInput(0).getName();
    }

    /** Name of the generator's image output. */
    public String imageOutput() {
        return generator.getGraph().getOutput(0).getName();
    }

    /** Reads a bundle's card and generator.onnx; the latent size comes from the generator's input shape. */
    public static Prior fromBundle(ModelBundle bundle) {
        ModelProto generator = OnnxFiles.read(bundle.file(ModelBundle.GENERATOR));
        return new Prior(bundle.card().id(), bundle.bundleHash(), generator, bundle.card().imageShape(),
                latentSize(generator, bundle.card().id()));
    }

    /** Reads a bundle folder, verifying its hashes. */
    public static Prior fromBundle(java.nio.file.Path dir) {
        try {
            return fromBundle(ModelBundle.read(dir));
        } catch (ModelBundleException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    static int latentSize(ModelProto generator, String id) {
        ValueInfoProto z = generator.getGraph().getInput(0);
        TensorShapeProto shape = z.getType().getTensorType().getShape();
        if (shape.getDimCount() != 2 || !shape.getDim(1).hasDimValue()) {
            throw new IllegalArgumentException("prior " + id + ": generator input '" + z.getName()
                    + "' must have shape [batch, latent] with a fixed latent size");
        }
        return (int) shape.getDim(1).getDimValue();
    }
}
