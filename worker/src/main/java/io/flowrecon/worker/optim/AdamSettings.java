package io.flowrecon.worker.optim;

/** Settings of {@link Adam}, as {@code torch.optim.Adam} (no weight decay: gamma ||z||^2 lives in the objective). */
public record AdamSettings(double lr, double beta1, double beta2, double eps) {

    public AdamSettings {
        if (!(lr > 0) || !Double.isFinite(lr)) {
            throw new IllegalArgumentException("adam lr must be a positive finite number, got " + lr);
        }
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("adam betas must lie in [0, 1), got " + beta1 + ", " + beta2);
        }
    }

    public static AdamSettings torchDefaults(double lr) {
        return new AdamSettings(lr, 0.9, 0.999, 1e-8);
    }
}
