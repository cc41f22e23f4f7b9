package io.flowrecon.shared.model;

import io.flowrecon.shared.job.ImageShape;
import io.flowrecon.shared.prior.DeepDecoderArchitecture;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Models that need no bundle: the solver is code, so their card is their whole definition. */
public final class BuiltinModels {

    private BuiltinModels() {
    }

    /**
     * Lasso in the 2-D DCT basis (the paper's sparsity baseline, lambda 0.01), any image shape.
     * The card is fixed (no timestamp) so that its hash, the model's sha256, is stable. Its id is its kind.
     */
    public static ModelCard lassoDct() {
        return new ModelCard(ModelKinds.LASSO_DCT, ModelKinds.LASSO_DCT, null, null, (ImageShape) null, null,
                ModelCard.ValueRange.UNIT,
                Map.of("basis", "dct-2d-orthonormal", "penalty", "l1"),
                Map.of(), null, Map.of(), (Instant) null);
    }

    /**
     * The Deep Decoder baseline (Heckel and Hand 2019), untrained, sized per image (any shape); its id is its
     * kind. The card carries the architecture the worker builds, so that the model's sha256 names it.
     */
    public static ModelCard deepDecoder() {
        return new ModelCard(ModelKinds.DEEP_DECODER, ModelKinds.DEEP_DECODER, null, null, (ImageShape) null, null,
                ModelCard.ValueRange.UNIT, DeepDecoderArchitecture.DEFAULT.describe(),
                Map.of(), null, Map.of(), (Instant) null);
    }

    public static List<ModelCard> all() {
        return List.of(lassoDct(), deepDecoder());
    }
}
