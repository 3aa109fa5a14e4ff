package liftoff.init;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class StartupTimesTest {
    @Test
    void timesAreSecondsBeforeTheLineWithMicroseconds() {
        long now = 5_000_000_000L;
        assertEquals("started (JVM main -0.081234 s, API filesystems -0.002100 s, AOT cache used)",
                StartupTimes.startedLine(now - 81_234_567, now - 2_100_000, now, true));
        assertEquals("started (JVM main -1.000000 s, API filesystems -0.000000 s, AOT cache not used)",
                StartupTimes.startedLine(now - 1_000_000_000, now, now, false));
    }
}
