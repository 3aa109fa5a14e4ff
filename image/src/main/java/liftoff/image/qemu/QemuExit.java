package liftoff.image.qemu;

import java.time.Duration;

/**
 * How a QEMU run ended.
 *
 * @param status   QEMU's exit status (0 after a guest power-off; with -no-reboot a guest reboot or
 *                 panic also ends QEMU, so read the console, not this, to judge the boot)
 * @param timedOut the host timeout passed and QEMU was killed
 * @param console  everything the guest printed on the serial console
 * @param errors   what QEMU itself printed on stderr (bad arguments, missing files, warnings)
 * @param wall     host time from start to exit
 */
public record QemuExit(int status, boolean timedOut, String console, String errors, Duration wall) {

    /** The boot timeline read from the console. */
    public BootTimeline timeline() {
        return BootTimeline.parse(console);
    }
}
