package io.flowrecon.shared.prior;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a prior's card says beyond its architecture: identity, data and how the weights were made.
 *
 * @param id             registry id, e.g. {@code mnist28-glow}
 * @param dataset        training data, null for untrained weights
 * @param split          the split trained on, null for untrained weights
 * @param training       the card's training section (method, seed, steps, ...)
 * @param testBitsPerDim test bits/dim for a trained Glow, else null
 * @param createdAt      when the bundle is written; null leaves the card without a timestamp (reproducible hash)
 */
public record PriorCardInfo(String id, String dataset, String split, Map<String, Object> training,
                            Double testBitsPerDim, Instant createdAt) {

    public PriorCardInfo {
        Objects.requireNonNull(id, "id");
        training = training == null ? Map.of() : Map.copyOf(training);
    }

    /** The card of weights from {@code GlowWeights.random} or {@code DcganWeights.random} with this seed. */
    public static PriorCardInfo randomInit(String id, long seed, Instant createdAt) {
        Map<String, Object> training = new LinkedHashMap<>();
        training.put("method", "random-init");
        training.put("seed", seed);
        training.put("random", "java.util.Random(seed), flowrecon " + PriorCardInfo.class.getPackageName());
        training.put("note", "untrained: random weights that exercise every layer; for tests and demos, "
                + "not for reconstruction quality");
        return new PriorCardInfo(id, null, null, training, null, createdAt);
    }
}
