package liftoff.init;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The running kernel's release (uname -r), which names its /lib/modules directory. */
final class KernelRelease {
    private KernelRelease() {}

    static String current() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/osrelease")).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
