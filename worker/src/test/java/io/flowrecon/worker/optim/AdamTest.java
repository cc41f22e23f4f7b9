package io.flowrecon.worker.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class AdamTest {

    @Test
    void firstStepMovesEveryCoordinateByTheLearningRate() {
        float[] centre = {3f, -1f, 0.2f};
        float[] z0 = {0f, 0f, 0f};
        Adam adam = new Adam(AdamSettings.torchDefaults(0.05), TestObjectives.quadratic(3, 100, centre), z0);
        adam.step();
        float[] z = adam.latents();
        // Bias-corrected m/sqrt(v) = g/|g| on step 1, so each move is lr * sign(-g) up to eps/|g| ~ 1e-8.
        for (int i = 0; i < 3; i++) {
            assertEquals(0.05 * Math.signum(centre[i]), z[i], 1e-6, "coordinate " + i);
        }
    }

    @Test
    void quadraticConvergesForEveryImageOfTheBatch() {
        int dimension = 10;
        float[] centres = LbfgsTest.randomVector(2 * dimension, 31);
        Adam adam = new Adam(AdamSettings.torchDefaults(0.05), TestObjectives.quadratic(dimension, 100, centres),
                new float[2 * dimension]);
        for (int step = 0; step < 2000; step++) {
            adam.step();
        }
        float[] z = adam.latents();
        // Adam with a constant lr keeps oscillating on the order of lr * (1 - beta1) around the minimum.
        for (int i = 0; i < z.length; i++) {
            assertEquals(centres[i], z[i], 5e-3, "coordinate " + i);
        }
    }
}
