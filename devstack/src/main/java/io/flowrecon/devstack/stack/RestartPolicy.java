package io.flowrecon.devstack.stack;

import java.time.Duration;

/**
 * How long to wait before restarting a child that exited: {@code initial}, doubling after each quick death up
 * to {@code max}; a child that stayed up for {@code stableUptime} was healthy, so its next death starts over at
 * {@code initial}. A crash loop thus costs little CPU, and a rare crash is repaired at once.
 */
public record RestartPolicy(Duration initial, Duration max, Duration stableUptime) {

    /** 1 s doubling to 30 s, reset after a minute up. */
    public static final RestartPolicy STANDARD = new RestartPolicy(Duration.ofSeconds(1), Duration.ofSeconds(30),
            Duration.ofMinutes(1));

    public RestartPolicy {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0 || stableUptime.isNegative()) {
            throw new IllegalArgumentException("need 0 < initial <= max and stableUptime >= 0, got " + initial + ", "
                    + max + ", " + stableUptime);
        }
    }

    /**
     * @param previousDelay the delay before the restart that began the run that just ended; null for the first death
     * @param uptime        how long that run lasted
     */
    public Duration delayAfter(Duration previousDelay, Duration uptime) {
        if (previousDelay == null || uptime.compareTo(stableUptime) >= 0) {
            return initial;
        }
        Duration doubled = previousDelay.multipliedBy(2);
        return doubled.compareTo(max) > 0 ? max : doubled;
    }
}
