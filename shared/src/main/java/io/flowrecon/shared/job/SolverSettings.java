package io.flowrecon.shared.job;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
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
 * @param lineSearch L-BFGS only: {@code none} (the paper's fixed step lr, torch's default) or {@code strong-wolfe}
 *                   (torch's strong-Wolfe search); {@code none} for the other optimisers. The stored form leaves
 *                   {@code none} out, so that specs written before the setting existed keep their text and hash.
 */
public record SolverSettings(String optimizer, int steps, double lr, double gamma, double lambda, int restarts, Init init,
                             @JsonInclude(value = JsonInclude.Include.CUSTOM, valueFilter = NoLineSearch.class)
                             String lineSearch) {

    public static final String NO_LINE_SEARCH = "none";
    public static final String STRONG_WOLFE = "strong-wolfe";

    /** A stored spec without the key ran before the setting existed, without a line search. */
    public SolverSettings {
        if (lineSearch == null) {
            lineSearch = NO_LINE_SEARCH;
        }
    }

    /** Settings without a line search (the paper's fixed-step L-BFGS, and every other optimiser). */
    public SolverSettings(String optimizer, int steps, double lr, double gamma, double lambda, int restarts, Init init) {
        this(optimizer, steps, lr, gamma, lambda, restarts, init, NO_LINE_SEARCH);
    }

    /** The same settings with another line search. */
    public SolverSettings withLineSearch(String search) {
        return new SolverSettings(optimizer, steps, lr, gamma, lambda, restarts, init, search);
    }

    /** The same settings with another number of steps. */
    public SolverSettings withSteps(int count) {
        return new SolverSettings(optimizer, count, lr, gamma, lambda, restarts, init, lineSearch);
    }

    @JsonIgnore
    public boolean strongWolfe() {
        return STRONG_WOLFE.equals(lineSearch);
    }

    /** Jackson's filter for {@link #lineSearch}: true (leave the key out) for the default, none. */
    static final class NoLineSearch {
        @Override
        public boolean equals(Object value) {
            return value == null || NO_LINE_SEARCH.equals(value);
        }

        @Override
        public int hashCode() {
            return 0;
        }
    }

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

    /**
     * Defaults per model kind, following the paper's settings where it gives them. Glow's L-BFGS takes a
     * strong-Wolfe line search: measured on 16 CelebA test faces it gains 1.1 dB over the paper's fixed step for 9%
     * more time at 30 steps (2.2 dB on eight held-out Fashion-MNIST bags), and a job's answer swings less with the
     * last bits of its gradient (0.4 against 2.7 dB; docs/BENCHMARKS.md, "Fewer evaluations"); {@code "lineSearch":
     * "none"} gives the paper's solver.
     */
    public static SolverSettings defaultsFor(String modelKind) {
        return switch (modelKind) {
            case ModelKinds.LASSO_DCT -> new SolverSettings("fista", 500, 1.0, 0.0, 0.01, 1, new Init.Zero());
            case ModelKinds.GLOW -> new SolverSettings("lbfgs", 30, 0.1, 0.0, 0.0, 1, new Init.Zero(), STRONG_WOLFE);
            case ModelKinds.DCGAN -> new SolverSettings("adam", 200, 0.05, 0.0, 0.0, 4, new Init.RandomNormal(1.0, 0));
            // Heckel and Hand fit with Adam at lr 0.01; steps and init std measured on 32 x 32 faces (worker/README.md)
            case ModelKinds.DEEP_DECODER -> new SolverSettings("adam", 2000, 0.01, 0.0, 0.0, 1, new Init.RandomNormal(1.0, 0));
            default -> new SolverSettings("lbfgs", 30, 0.1, 0.0, 0.0, 1, new Init.Zero());
        };
    }
}
