package liftoff.image;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.time.Duration;
import liftoff.image.qemu.QemuExit;
import liftoff.image.qemu.QemuProcess;

/** The init's busybox rescue shell (an image built with RESCUE=busybox) as the boot tests leave it. */
final class RescueShell {
    private RescueShell() {}

    /**
     * Waits for the shell's prompt, runs {@code commands} (for the console log), then busybox
     * poweroff; QEMU must then exit by itself, not be killed at its time limit.
     */
    static QemuExit powerOff(QemuProcess vm, String... commands) throws IOException, InterruptedException {
        vm.console().await("(liftoff rescue) # ", Duration.ofSeconds(60));
        vm.console().type(String.join("; ", commands) + (commands.length > 0 ? "; " : "") + "busybox poweroff -f\n");
        QemuExit exit = vm.waitFor();
        assertFalse(exit.timedOut(), exit.console());
        return exit;
    }
}
