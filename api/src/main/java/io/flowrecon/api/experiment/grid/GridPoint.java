package io.flowrecon.api.experiment.grid;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One job of an experiment grid before validation.
 *
 * @param job        the job spec as a client would submit it (truth not yet attached)
 * @param axes       the value of every grid axis at this point, e.g. {@code model}, {@code ratio}, {@code m},
 *                   {@code noiseStd}, {@code gamma}, {@code operatorSeed}, {@code image}
 * @param imageIndex the image-set index the job solves
 */
public record GridPoint(ObjectNode job, ObjectNode axes, int imageIndex) {
}
