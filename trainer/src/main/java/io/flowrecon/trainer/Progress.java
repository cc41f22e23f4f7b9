package io.flowrecon.trainer;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Progress lines of a long run: step, loss, throughput in images/s (over the last report interval) and the
 * time left of the run's wall-clock budget (the ETA of its end).
 */
final class Progress {
    private final PrintStream out;
    private final long budgetMillis;
    private final long startNanos;
    private long lastNanos;
    private long lastImages;

    Progress(PrintStream out, long budgetMillis) {
        this.out = out;
        this.budgetMillis = budgetMillis;
        this.startNanos = System.nanoTime();
        this.lastNanos = startNanos;
    }

    long elapsedMillis() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    boolean budgetSpent() {
        return elapsedMillis() >= budgetMillis;
    }

    void report(long step, long images, double loss, String lossName) {
        long now = System.nanoTime();
        double seconds = (now - lastNanos) / 1e9;
        double rate = seconds > 0 ? (images - lastImages) / seconds : 0;
        lastNanos = now;
        lastImages = images;
        long leftMillis = Math.max(0, budgetMillis - elapsedMillis());
        out.println(String.format(Locale.ROOT, "step %d  %s %.4f  %.1f images/s  elapsed %s  eta %s", step,
                lossName, loss, rate, clock(elapsedMillis()), clock(leftMillis)));
        out.flush();
    }

    static String clock(long millis) {
        long s = millis / 1000;
        return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60);
    }
}
