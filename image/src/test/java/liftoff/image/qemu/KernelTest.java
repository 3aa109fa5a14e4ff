package liftoff.image.qemu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KernelTest {
    @TempDir
    Path boot;

    @Test
    void theNewestKernelIsChosenByVersionNumbersNotByText() throws IOException {
        for (String version : new String[] {"6.1.0-9-cloud-amd64", "6.1.0-56-cloud-amd64", "5.10.0-30-amd64", "6.1.0-57-amd64",
                "6.1.0-9-amd64", "6.18.44-fc-v782"}) {
            Files.createFile(boot.resolve("vmlinuz-" + version));
        }
        Files.createFile(boot.resolve("initrd.img-6.1.0-99-cloud-amd64"));

        Kernel kernel = Kernel.newestIn(boot, Kernel.Flavour.CLOUD);

        assertEquals(new Kernel(boot.resolve("vmlinuz-6.1.0-56-cloud-amd64"), "6.1.0-56-cloud-amd64"), kernel);
        assertEquals(Path.of("/lib/modules/6.1.0-56-cloud-amd64"), kernel.modulesDir());
        assertEquals("6.1.0-57-amd64", Kernel.newestIn(boot, Kernel.Flavour.GENERIC).version(), "a newer generic kernel is another flavour");
    }

    @Test
    void withoutAKernelTheErrorNamesThePackage() {
        IOException e = assertThrows(IOException.class, () -> Kernel.newestIn(boot, Kernel.Flavour.CLOUD));
        assertEquals("no cloud guest kernel (" + boot + "/vmlinuz-*): install one with apt-get install linux-image-cloud-amd64",
                e.getMessage());
        IOException generic = assertThrows(IOException.class, () -> Kernel.newestIn(boot, Kernel.Flavour.GENERIC));
        assertTrue(generic.getMessage().endsWith("apt-get install linux-image-amd64"), generic.getMessage());
    }
}
