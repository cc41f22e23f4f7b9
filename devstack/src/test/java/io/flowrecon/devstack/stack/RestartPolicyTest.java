package io.flowrecon.devstack.stack;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RestartPolicyTest {

    private static final RestartPolicy STANDARD = RestartPolicy.STANDARD;

    @Test
    void quickDeathsDoubleTheDelayFromOneSecondToThirty() {
        Duration quick = Duration.ofSeconds(3);
        Duration delay = STANDARD.delayAfter(null, quick);
        StringBuilder delays = new StringBuilder().append(delay.toSeconds());
        for (int i = 0; i < 6; i++) {
            delay = STANDARD.delayAfter(delay, quick);
            delays.append(' ').append(delay.toSeconds());
        }
        assertEquals("1 2 4 8 16 30 30", delays.toString());
    }

    @Test
    void aMinuteOfUptimeStartsOverAtOneSecond() {
        assertEquals(Duration.ofSeconds(1), STANDARD.delayAfter(Duration.ofSeconds(30), Duration.ofSeconds(60)));
        assertEquals(Duration.ofSeconds(30), STANDARD.delayAfter(Duration.ofSeconds(30), Duration.ofSeconds(59)));
    }

    @Test
    void aPolicyWhoseMaximumIsBelowItsStartIsRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> new RestartPolicy(Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ofMinutes(1)));
        assertThrows(IllegalArgumentException.class,
                () -> new RestartPolicy(Duration.ZERO, Duration.ofSeconds(1), Duration.ofMinutes(1)));
    }
}
