package io.flowrecon.shared.model;

/**
 * The model kinds: a card's {@code kind} and the {@code models.kind} column, which pick a job's solver
 * defaults and its solver. Strings, not an enum, because they are stored and sent as written here, and a
 * worker may serve kinds this build does not name.
 */
public final class ModelKinds {

    /** Lasso in the 2-D DCT basis, the paper's classical baseline; needs no bundle. */
    public static final String LASSO_DCT = "lasso-dct";
    /** An invertible flow prior (Glow), solved in its latent by L-BFGS from z0 = 0. */
    public static final String GLOW = "glow";
    /** A GAN prior (DCGAN), solved in its latent with random restarts. */
    public static final String DCGAN = "dcgan";
    /** The untrained Deep Decoder baseline (Heckel and Hand 2019): its weights are fitted per image; no bundle. */
    public static final String DEEP_DECODER = "deep-decoder";

    /**
     * The temperature of the latents of a sample grid: Glow samples at 0.7 (Kingma and Dhariwal 2018, section 5),
     * GAN ones at 1 (the distribution they were trained on).
     */
    public static double sampleTemperature(String kind) {
        return GLOW.equals(kind) ? 0.7 : 1.0;
    }

    private ModelKinds() {
    }
}
