package liftoff.image.uki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where a UKI's default command line and release come from, as kernel-install and ukify find them. */
class KernelCmdlineTest {
    @TempDir
    Path root;

    @Test
    void etcKernelCmdlineFirstThenUsrLibThenProcWithoutTheLoadersWords() throws Exception {
        Files.createDirectories(root.resolve("proc"));
        Files.writeString(root.resolve("proc/cmdline"), "BOOT_IMAGE=/boot/vmlinuz-6.1 root=UUID=1234 ro initrd=\\initrd.img quiet\n");
        assertEquals("root=UUID=1234 ro quiet", KernelCmdline.forHost(root));

        Files.createDirectories(root.resolve("usr/lib/kernel"));
        Files.writeString(root.resolve("usr/lib/kernel/cmdline"), "root=LABEL=vendor\n");
        assertEquals("root=LABEL=vendor", KernelCmdline.forHost(root));

        Files.createDirectories(root.resolve("etc/kernel"));
        Files.writeString(root.resolve("etc/kernel/cmdline"), "root=/dev/vda2 rw\n  console=ttyS0\n");
        assertEquals("root=/dev/vda2 rw console=ttyS0", KernelCmdline.forHost(root));
    }

    @Test
    void noSourceAtAllIsSaidSo() {
        assertEquals("no /etc/kernel/cmdline, /usr/lib/kernel/cmdline or /proc/cmdline to take the command line from",
                assertThrows(IOException.class, () -> KernelCmdline.forHost(root)).getMessage());
    }

    @Test
    void theKernelImageNamesItsRelease() throws Exception {
        assertEquals(Optional.of(UkiFixtures.kernel().version()), BzImage.release(UkiFixtures.kernel().image()));
        assertEquals(Optional.empty(), BzImage.release(UkiFixtures.stub()), "systemd-stub is a PE but no x86 boot image");
    }
}
