package liftoff.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KernelVersionTest {
    @Test
    void runningKernelWinsWhenItsModulesAreInstalled(@TempDir Path dir) throws IOException {
        Path base = kernels(dir, "6.9.0", "6.10.2");
        Path osrelease = Files.writeString(dir.resolve("osrelease"), "6.9.0\n");
        assertEquals(new KernelVersion("6.9.0", "the running kernel (" + osrelease + ")"), KernelVersion.choose(base, osrelease));
    }

    @Test
    void otherwiseTheNewestByVersionNotByString(@TempDir Path dir) throws IOException {
        Path base = kernels(dir, "6.9.0", "6.10.2", "6.10.2-rc1-no-dep-file");
        Files.delete(base.resolve("6.10.2-rc1-no-dep-file/modules.dep"));
        Path osrelease = Files.writeString(dir.resolve("osrelease"), "6.18.44-elsewhere\n");
        KernelVersion chosen = KernelVersion.choose(base, osrelease);
        assertEquals("6.10.2", chosen.version());
        assertEquals("the newest kernel with a modules.dep under " + base + " (the running kernel 6.18.44-elsewhere has no modules there)",
                chosen.reason());
    }

    @Test
    void noKernelIsAClearError(@TempDir Path dir) throws IOException {
        IOException e = assertThrows(IOException.class, () -> KernelVersion.choose(dir, dir.resolve("none")));
        assertEquals(dir + ": no kernel with a modules.dep (run depmod?)", e.getMessage());
    }

    @Test
    void aKernelAskedForIsTakenWhenItsModulesAreThere(@TempDir Path dir) throws IOException {
        Path base = kernels(dir, "6.9.0");
        KernelVersion asked = new KernelVersion("6.9.0", "--kernel-version on the command line");
        assertEquals(asked, asked.installedUnder(base));
    }

    /** Not "run depmod": the kernel is not there at all, and the error says which ones are. */
    @Test
    void aKernelAskedForThatIsNotInstalledIsNamedWithTheInstalledOnes(@TempDir Path dir) throws IOException {
        Path base = kernels(dir, "6.10.2", "6.9.0");
        IOException e = assertThrows(IOException.class,
                () -> new KernelVersion("6.99.0", "KERNEL_VERSION in /etc/liftoff/liftoff.conf:3").installedUnder(base));
        assertEquals("kernel 6.99.0 (KERNEL_VERSION in /etc/liftoff/liftoff.conf:3): not installed, there is no "
                + base.resolve("6.99.0") + "; installed: 6.9.0, 6.10.2", e.getMessage());

        IOException none = assertThrows(IOException.class,
                () -> new KernelVersion("6.9.0", "--kernel-version on the command line").installedUnder(dir.resolve("empty")));
        assertEquals("kernel 6.9.0 (--kernel-version on the command line): not installed, there is no "
                + dir.resolve("empty/6.9.0") + "; installed: none", none.getMessage());
    }

    @Test
    void theNewestInstalledKernelWinsOverTheRunningOne() throws IOException {
        // The container runs another kernel than the ones installed for the guest: the newest installed
        // wins; of Debian's two flavours of one release, the cloud one ("-cloud-amd64" sorts last).
        assertEquals(InstalledKernel.VERSION, KernelVersion.choose().version());
    }

    private static Path kernels(Path dir, String... versions) throws IOException {
        Path base = Files.createDirectories(dir.resolve("modules"));
        for (String version : versions) {
            Files.createDirectories(base.resolve(version));
            Files.writeString(base.resolve(version).resolve("modules.dep"), "");
        }
        return base;
    }
}
