package liftoff.image;

import java.io.IOException;
import java.io.UncheckedIOException;
import liftoff.image.qemu.Kernel;

/**
 * The kernel the tests read real modules from: the newest cloud kernel installed
 * (scripts/host-packages.sh installs it), so that a Debian kernel update does not break them.
 */
final class InstalledKernel {
    static final String VERSION = newestCloud();

    private InstalledKernel() {}

    private static String newestCloud() {
        try {
            return Kernel.newestInstalled().version();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
