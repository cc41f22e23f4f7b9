package io.flowrecon.trainer;

import java.util.Locale;

/** What a model card says about the machine a prior was trained on (provenance, not configuration). */
final class Machine {

    private Machine() {
    }

    static String describe() {
        Runtime runtime = Runtime.getRuntime();
        return String.format(Locale.ROOT, "%s %s, %d cores visible, %.0f GiB max heap, Java %s (%s), OMP_NUM_THREADS=%s",
                System.getProperty("os.name"), System.getProperty("os.arch"), runtime.availableProcessors(),
                runtime.maxMemory() / (1024.0 * 1024 * 1024), System.getProperty("java.version"),
                System.getProperty("java.vendor"), System.getenv().getOrDefault("OMP_NUM_THREADS", "unset"));
    }
}
