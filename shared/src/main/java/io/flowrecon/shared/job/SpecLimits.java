package io.flowrecon.shared.job;

import java.util.List;

/** The bounds a job spec is held to, and the names of its closed sets of variants. */
public final class SpecLimits {

    /** Largest accepted image side: keeps a request's decoded size and a job's solve time bounded. */
    public static final int MAX_IMAGE_SIDE = 512;
    /** A dense Gaussian A is generated in memory: 64M float32 entries are 256 MiB. */
    public static final long MAX_DENSE_ENTRIES = 64L * 1024 * 1024;
    public static final int MAX_STEPS = 100_000;
    public static final int MAX_RESTARTS = 64;
    /** A vector of a million bad values must not become a million-line answer. */
    static final int MAX_VALUE_VIOLATIONS = 10;
    public static final List<String> PROBLEM_KINDS = List.of("denoising", "compressive-sensing", "inpainting");
    public static final List<String> NOISE_KINDS = List.of("none", "gaussian", "gaussian-norm");
    public static final List<String> MASK_KINDS = List.of("center-block", "random-pixels");
    public static final List<String> OPTIMIZERS = List.of("fista", "lbfgs", "adam");
    public static final List<String> INIT_KINDS = List.of("zero", "random");
    public static final List<String> LINE_SEARCHES = List.of(SolverSettings.NO_LINE_SEARCH, SolverSettings.STRONG_WOLFE);

    private SpecLimits() {
    }
}
