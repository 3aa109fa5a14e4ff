package liftoff.init;

/**
 * The "liftoff: started" line, which carries the init's first moments for the boot timeline: when
 * main() began (the JVM's start-up ends there) and when the API filesystems were mounted (the first
 * system calls, which link the downcall handle). Both are given as seconds before the line itself,
 * measured with System.nanoTime, because /dev/kmsg cannot be written before /dev is mounted: the
 * timeline adds them to the line's kernel timestamp (liftoff.image.qemu.BootTimeline).
 */
final class StartupTimes {
    private StartupTimes() {}

    /** "started (JVM main -0.081234 s, API filesystems -0.002100 s, AOT cache used)". */
    static String startedLine(long mainNanos, long mountedNanos, long nowNanos, boolean aotCacheUsed) {
        return "started (JVM main " + secondsBefore(mainNanos, nowNanos) + " s, API filesystems "
                + secondsBefore(mountedNanos, nowNanos) + " s, AOT cache " + (aotCacheUsed ? "used" : "not used") + ")";
    }

    private static String secondsBefore(long thenNanos, long nowNanos) {
        long micros = Math.max(0, (nowNanos - thenNanos) / 1000);
        String fraction = Long.toString(1_000_000 + micros % 1_000_000).substring(1);   // zero-padded, no Formatter at boot
        return "-" + micros / 1_000_000 + "." + fraction;
    }
}
