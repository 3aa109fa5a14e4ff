package liftoff.init.root;

import java.io.IOException;
import java.nio.file.Path;
import liftoff.init.BootFailure;
import liftoff.init.Log;
import liftoff.init.cmdline.RootOptions;
import liftoff.init.modules.DeviceEvents;
import liftoff.init.probe.BlockDevices;

/**
 * Waits for the device that root= names. Drivers probe asynchronously after their module loads,
 * so the device may appear a moment later, or much later on slow USB; the wait ends at
 * liftoff.timeout (rootwait: rootwait=N, or never). It sleeps until a block device is added
 * (a uevent) and looks again then.
 */
public final class RootDevice {
    /**
     * Looks again at least this often even without an event: a device whose filesystem could not
     * be read yet when its event came is not missed.
     */
    private static final long RECHECK_MS = 1_000;

    private RootDevice() {}

    public static Path await(RootOptions root, DeviceEvents events, Log log) throws BootFailure {
        RootSpec spec = root.spec();
        if (spec == null) throw new BootFailure("no usable " + (root.liftoffRoot() ? "liftoff.root=" : "root=") + " on the kernel command line");
        if (root.delaySeconds() > 0) {
            log.info("rootdelay=" + root.delaySeconds() + ": waiting before looking for " + spec);
            events.loadAllDrivers();   // what the delay is for: every device to come up
            sleep(root.delaySeconds() * 1000L);
        }
        return await(spec, "root device", root, events, log);
    }

    /**
     * Waits for the device {@code spec} names ({@code what}: "root device", "verity hash device"...)
     * as long as {@code wait} allows for the root ({@link RootOptions#waitLimitMs()}).
     */
    public static Path await(RootSpec spec, String what, RootOptions wait, DeviceEvents events, Log log) throws BootFailure {
        long limitMs = wait.waitLimitMs();
        long start = System.nanoTime();
        RootFinder finder = new RootFinder(BlockDevices.system());
        while (true) {
            events.awaitBlockDevice(0);   // load the drivers of devices that appeared meanwhile
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
                throw new BootFailure("the " + what + " " + spec + " did not appear within " + limitMs / 1000 + " s");
            }
            if (events.noneOfTheDisksIsIt()) {   // else events came while looking: look again at once
                events.awaitBlockDevice(limitMs < 0 ? RECHECK_MS : Math.min(RECHECK_MS, limitMs - waitedMs));
            }
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
