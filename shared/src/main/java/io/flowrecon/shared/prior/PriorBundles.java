package io.flowrecon.shared.prior;

import io.flowrecon.adjoint.onnx.OnnxFiles;
import io.flowrecon.adjoint.onnx.proto.ModelProto;
import io.flowrecon.shared.job.ImageShape;
import io.flowrecon.shared.model.ModelBundle;
import io.flowrecon.shared.model.ModelBundleException;
import io.flowrecon.shared.model.ModelCard;
import io.flowrecon.shared.model.ModelKinds;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes prior bundles (docs/ARCHITECTURE.md, "Priors are ONNX graphs"): the ONNX files with a symbolic batch, then
 * {@code model.json} with each file's sha256 (written last, so a card never lists a file that is not there).
 */
public final class PriorBundles {

    private PriorBundles() {
    }

    /** generator.onnx, encoder.onnx and model.json of a Glow. */
    public static ModelBundle writeGlow(Path dir, GlowWeights weights, PriorCardInfo info) throws ModelBundleException {
        GlowArchitecture arch = weights.architecture();
        createDirectories(dir);
        write(dir, ModelBundle.GENERATOR, GlowGraphs.generator(weights, BatchSize.symbolic()));
        write(dir, ModelBundle.ENCODER, GlowGraphs.encoder(weights, BatchSize.symbolic()));
        ModelCard card = card(ModelKinds.GLOW, arch.channels(), arch.size(), arch.latentSize(),
                arch.describe(), info);
        return ModelBundle.write(dir, card, List.of(ModelBundle.ENCODER, ModelBundle.GENERATOR));
    }

    /** generator.onnx and model.json of a DCGAN. */
    public static ModelBundle writeDcgan(Path dir, DcganWeights weights, PriorCardInfo info) throws ModelBundleException {
        DcganArchitecture arch = weights.architecture();
        createDirectories(dir);
        write(dir, ModelBundle.GENERATOR, DcganGraphs.generator(weights, BatchSize.symbolic()));
        ModelCard card = card(ModelKinds.DCGAN, arch.channels(), arch.size(), arch.latent(), arch.describe(), info);
        return ModelBundle.write(dir, card, List.of(ModelBundle.GENERATOR));
    }

    private static ModelCard card(String kind, int channels, int size, int latent, Map<String, Object> architecture,
                                  PriorCardInfo info) {
        Map<String, Object> arch = new LinkedHashMap<>(architecture);
        arch.put("batch", "symbolic (dim_param 'batch')");
        return new ModelCard(info.id(), kind, info.dataset(), info.split(),
                new ImageShape(channels, size, size), latent, ModelCard.ValueRange.UNIT, arch,
                info.training(), info.testBitsPerDim(), Map.of(), info.createdAt());
    }

    private static void write(Path dir, String name, ModelProto model) throws ModelBundleException {
        try {
            OnnxFiles.write(model, dir.resolve(name));
        } catch (UncheckedIOException e) {
            throw new ModelBundleException("model bundle " + dir.toAbsolutePath() + ": cannot write " + name + ": "
                    + e.getCause(), e);
        }
    }

    private static void createDirectories(Path dir) throws ModelBundleException {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new ModelBundleException("model bundle " + dir.toAbsolutePath() + ": cannot create the folder: " + e, e);
        }
    }
}
