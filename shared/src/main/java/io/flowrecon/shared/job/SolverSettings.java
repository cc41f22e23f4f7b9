package io.flowrecon.shared.job;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

import io.flowrecon.shared.model.ModelKinds;

/**
 * How to solve: optimiser and its settings. Values the user leaves out are filled with the
 * defaults of the model's kind (see {@link #defaultsFor(String)}).
 *
 * @param optimizer {@code fista} (Lasso), {@code lbfgs} or {@code adam}
 * @param steps     outer steps (L-BFGS) or iterations (FISTA, Adam)
 * @param lr        learning rate / L-BFGS step length
 * @param gamma     weight of ||z||^2 in the objective
 * @param lambda    weight of ||w||_1 for Lasso
 * @param restarts  random restarts (GAN priors); 1 for deterministic inits
 * @param init      latent initialisation
 */
public record SolverSettings(String optimizer, int steps, double lr, double gamma, double lambda, int restarts, Init init) {

    /** Latent initialisation: zero (Glow, the paper's implicit regulariser) or random normal. */
    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "kind")
    @JsonSubTypes({
            @JsonSubTypes.Type(value = Init.Zero.class, name = "zero"),
            @JsonSubTypes.Type(value = Init.RandomNormal.class, name = "random")})
    public sealed interface Init permits Init.Zero, Init.RandomNormal {
        @JsonIgnore
        String kind();

        record Zero() implements Init {
            public String kind() {
                return "zero";
            }
        }

        record RandomNormal(double std, long seed) implements Init {
            public String kind() {
                return "random";
            }
        }
    }

    /** Defaults per model kind, following the paper's settings where it gives them. */
    public static SolverSettings defaultsFor(String modelKind) {
        return switch (modelKind) {
            case ModelKinds.LASSO_DCT -> new SolverSettings("fista", 500, 1.0, 0.0, 0.01, 1, new Init.Zero());
            case ModelKinds.GLOW -> new SolverSettings("lbfgs", 30, 0.1, 0.0, 0.0, 1, new Init.Zero());
            case ModelKinds.DCGAN -> new SolverSettings("adam", 200, 0.05, 0.0, 0.0, 4, new Init.RandomNormal(1.0, 0));
            // Heckel and Hand fit with Adam at lr 0.01; steps and init std measured on 32 x 32 faces (worker/README.md)
            case ModelKinds.DEEP_DECODER -> new SolverSettings("adam", 2000, 0.01, 0.0, 0.0, 1, new Init.RandomNormal(1.0, 0));
            default -> new SolverSettings("lbfgs", 30, 0.1, 0.0, 0.0, 1, new Init.Zero());
        };
    }
}
