package liftoff.image.qemu;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * QEMU as the boot tests start it: a kernel, an initramfs, the test's command line words, and a
 * host time limit. Public for the boot tests of {@code liftoff.image}, which boot built images.
 */
public final class TestBoot {
    /** How long a boot of a liftoff image under TCG may take on a busy machine before QEMU is killed. */
    public static final Duration BOOT = Duration.ofMinutes(4);

    private TestBoot() {}

    /** Boots {@code initrd} with {@code kernel} and {@code append}; killed after {@link #BOOT}. */
    public static Qemu qemu(Kernel kernel, Path initrd, String append) {
        return new Qemu(kernel.image()).initrd(initrd).append(append).timeout(BOOT);
    }

    /** The same with the newest cloud kernel, the one the tests' images are built for unless they say otherwise. */
    public static Qemu qemu(Path initrd, String append) throws IOException {
        return qemu(Kernel.newestInstalled(), initrd, append);
    }
}
