package io.flowrecon.shared.job;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** What the spec validator needs to know about the registered priors. */
public interface ModelLookup {

    /** The model registered under {@code modelId}, if any. */
    Optional<ModelInfo> find(String modelId);

    /** Every registered id, sorted, for the error message that lists them. */
    List<String> ids();

    /**
     * @param id         registry id, e.g. {@code celeba32-glow}
     * @param kind       {@code lasso-dct}, {@code glow}, {@code dcgan}, ... (selects solver defaults)
     * @param imageShape the only image shape the prior produces, or null when any shape works
     * @param status     {@value #READY} when the model serves jobs; validating or rejected otherwise
     */
    record ModelInfo(String id, String kind, ImageShape imageShape, String status) {
        public static final String READY = "ready";

        /** A model that serves jobs. */
        public ModelInfo(String id, String kind, ImageShape imageShape) {
            this(id, kind, imageShape, READY);
        }

        public boolean ready() {
            return READY.equals(status);
        }
    }

    /** A fixed lookup over the given models. */
    static ModelLookup of(Collection<ModelInfo> models) {
        Map<String, ModelInfo> byId = new TreeMap<>();
        for (ModelInfo model : models) {
            byId.put(model.id(), model);
        }
        List<String> ids = List.copyOf(byId.keySet());
        return new ModelLookup() {
            @Override
            public Optional<ModelInfo> find(String modelId) {
                return Optional.ofNullable(byId.get(modelId));
            }

            @Override
            public List<String> ids() {
                return ids;
            }
        };
    }
}
