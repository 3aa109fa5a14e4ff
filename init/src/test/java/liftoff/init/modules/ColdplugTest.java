package liftoff.init.modules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sysfs walk against this machine's real /sys, and against a tree shaped like it. */
class ColdplugTest {
    @Test
    void findsEveryModaliasUnderSysDevices() throws IOException {
        Set<String> expected = new TreeSet<>();
        try (var files = Files.walk(Path.of("/sys/devices"))) {
            for (Path f : files.filter(f -> f.getFileName().toString().equals("modalias")).toList()) {
                try {
                    String value = Files.readString(f).strip();
                    if (!value.isEmpty()) expected.add(value);
                } catch (IOException e) {
                    // unreadable attribute: the walk skips it too
                }
            }
        }
        assertFalse(expected.isEmpty(), "this machine's sysfs lists devices with modaliases");
        assertEquals(expected, Coldplug.modaliases(Path.of("/sys")));
    }

    @Test
    void readsBusListsAndTheCpuAndSkipsDevicesWithoutModalias(@TempDir Path sys) throws IOException {
        Path pci = Files.createDirectories(sys.resolve("devices/pci0000:00/0000:00:04.0"));
        Files.writeString(pci.resolve("modalias"), "pci:v00001AF4d00001001sv00001AF4sd00000002bc01sc00i00\n");
        Path virtio = Files.createDirectories(pci.resolve("virtio1"));
        Files.writeString(virtio.resolve("modalias"), "virtio:d00000002v00001AF4\n");
        Path memory = Files.createDirectories(sys.resolve("devices/system/memory/memory0"));
        Files.writeString(Files.createDirectories(sys.resolve("devices/system/cpu")).resolve("modalias"),
                "cpu:type:x86,ven0000fam0006mod003F:feature:,0000\n");
        Files.createDirectories(sys.resolve("bus/pci/devices"));
        Files.createSymbolicLink(sys.resolve("bus/pci/devices/0000:00:04.0"), pci);
        Files.createDirectories(sys.resolve("bus/virtio/devices"));
        Files.createSymbolicLink(sys.resolve("bus/virtio/devices/virtio1"), virtio);
        Files.createDirectories(sys.resolve("bus/memory/devices"));
        Files.createSymbolicLink(sys.resolve("bus/memory/devices/memory0"), memory);
        // A bus never read (memory blocks have no modalias): were it read, this one would be found.
        Files.writeString(memory.resolve("modalias"), "memory:not-read");
        Files.createDirectories(sys.resolve("bus/empty"));   // a bus without a devices list
        Path unlisted = Files.createDirectories(sys.resolve("devices/platform/unlisted"));
        Files.writeString(unlisted.resolve("modalias"), "platform:not-on-a-bus-list");
        assertEquals(Set.of("pci:v00001AF4d00001001sv00001AF4sd00000002bc01sc00i00", "virtio:d00000002v00001AF4",
                "cpu:type:x86,ven0000fam0006mod003F:feature:,0000"), Coldplug.modaliases(sys));
    }
}
