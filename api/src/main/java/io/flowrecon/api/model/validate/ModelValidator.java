package io.flowrecon.api.model.validate;

import io.flowrecon.adjoint.AdjointBuilder;
import io.flowrecon.shared.model.ModelCard;
import io.flowrecon.shared.model.ModelKinds;

/** Every check an imported generator passes before it serves a job: {@link GraphInspector}, then {@link NumericChecks}. */
public final class ModelValidator {

    private final GraphInspector inspector;
    private final NumericChecks numerics;

    public ModelValidator(AdjointBuilder adjoint) {
        this.inspector = new GraphInspector(adjoint.operators());
        this.numerics = new NumericChecks(adjoint);
    }

    public static ModelValidator standard() {
        return new ModelValidator(AdjointBuilder.standard());
    }

    /** The static checks alone (what the import answers with). */
    public GraphFacts inspect(byte[] generator) throws ModelRejectedException {
        return inspector.inspect(generator);
    }

    /** The numeric checks of a generator that passed {@link #inspect}. */
    public void runNumerics(GraphFacts facts, ModelCard.ValueRange range) throws ModelRejectedException {
        numerics.run(facts, range);
    }

    /** The PNG grid of samples the model card shows, at the temperature of the card's kind. */
    public byte[] sampleGrid(GraphFacts facts, ModelCard card) throws ModelRejectedException {
        return numerics.sampleGrid(facts, card.valueRange(), ModelKinds.sampleTemperature(card.kind()));
    }
}
