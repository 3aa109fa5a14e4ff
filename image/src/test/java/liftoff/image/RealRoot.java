package liftoff.image;

import static org.junit.jupiter.api.Assertions.assertTrue;

import liftoff.image.qemu.BootMarker;
import liftoff.image.qemu.QemuExit;

/** What the QEMU boot tests check of the real root a boot handed over to (the demo root's init reports it). */
final class RealRoot {
    private RealRoot() {}

    /** The real root's init ran as PID 1 with / on {@code device}, a regex ("/dev/vda", "/dev/(mapper/root|dm-0)"). */
    static void assertReachedOn(QemuExit exit, String device) {
        assertTrue(exit.timeline().reachedRealInit(), exit.console());
        String realInit = exit.timeline().step(BootMarker.REAL_INIT).orElseThrow().detail();
        assertTrue(realInit.matches("uptime=\\d+\\.\\d+ pid=1 root=" + device), realInit);
    }

    /** The line for / of the mountinfo the real root's init prints. */
    static String mountLine(QemuExit exit) {
        return exit.console().lines().filter(l -> l.matches("\\d+ \\d+ \\S+ / / .*")).findFirst()
                .orElseThrow(() -> new AssertionError("the real root printed no mountinfo line for /\n" + exit.console()));
    }

    /** / is mounted read-only ({@code readOnly}) or read-write, as the real root's mountinfo says. */
    static void assertMounted(QemuExit exit, boolean readOnly) {
        String rootLine = mountLine(exit);
        assertTrue(rootLine.contains(readOnly ? " / / ro," : " / / rw,"), rootLine);
    }
}
