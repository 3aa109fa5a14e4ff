package liftoff.init;

import java.io.IOException;
import java.nio.file.Path;
import liftoff.init.probe.BlockDevices;

/**
 * Waits for the device that root= names. Drivers probe asynchronously after their module loads,
 * so the device may appear a moment later, or much later on slow USB; the wait ends at
 * liftoff.timeout (rootwait: rootwait=N, or never).
 */
final class RootDevice {
    private static final long FAST_POLL_MS = 10;
    private static final long SLOW_POLL_MS = 100;
    private static final long FAST_PHASE_MS = 2_000;

    private RootDevice() {}

    static Path await(Cmdline cmdline, Log log) throws Boot.BootFailure {
        RootSpec spec = cmdline.root();
        if (spec == null) throw new Boot.BootFailure("no usable root= on the kernel command line");
        if (cmdline.rootDelaySeconds() > 0) {
            log.info("rootdelay=" + cmdline.rootDelaySeconds() + ": waiting before looking for " + spec);
            sleep(cmdline.rootDelaySeconds() * 1000L);
        }
        return await(spec, "root device", cmdline, log);
    }

    /** Waits for the device {@code spec} names ({@code what}: "root device", "verity hash device"...). */
    static Path await(RootSpec spec, String what, Cmdline cmdline, Log log) throws Boot.BootFailure {
        long limitMs = limitMs(cmdline);
        long start = System.nanoTime();
        RootFinder finder = new RootFinder(BlockDevices.system());
        while (true) {
            try {
                Path device = finder.find(spec);
                if (device != null) {
                    log.info(what + " found " + device + " (" + spec + ")");
                    return device;
                }
            } catch (IOException e) {
                log.debug("looking for " + spec + ": " + e.getMessage());
            }
            long waitedMs = (System.nanoTime() - start) / 1_000_000;
            if (limitMs >= 0 && waitedMs >= limitMs) {
                throw new Boot.BootFailure("the " + what + " " + spec + " did not appear within " + limitMs / 1000 + " s");
            }
            sleep(waitedMs < FAST_PHASE_MS ? FAST_POLL_MS : SLOW_POLL_MS);
        }
    }

    /** How long to wait in milliseconds; -1 for ever (plain rootwait). */
    private static long limitMs(Cmdline cmdline) {
        if (!cmdline.rootWait()) return cmdline.timeoutSeconds() * 1000L;
        return cmdline.rootWaitSeconds().isPresent() ? cmdline.rootWaitSeconds().getAsInt() * 1000L : -1;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
