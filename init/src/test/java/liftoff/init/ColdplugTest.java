package liftoff.init;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sysfs walk against this machine's real /sys/devices, and against a tree shaped like it. */
class ColdplugTest {
    @Test
    void findsEveryModaliasThatAPlainWalkFinds() throws IOException {
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
        assertEquals(expected, Coldplug.modaliases(Path.of("/sys/devices")));
    }

    @Test
    void doesNotFollowSymlinksAndSkipsEmptyValues(@TempDir Path tmp) throws IOException {
        Path sys = Files.createDirectories(tmp.resolve("devices"));
        Path pci = Files.createDirectories(sys.resolve("pci0000:00/0000:00:04.0"));
        Files.writeString(pci.resolve("modalias"), "pci:v00001AF4d00001001sv00001AF4sd00000002bc01sc00i00\n");
        Path virtio = Files.createDirectories(pci.resolve("virtio1"));
        Files.writeString(virtio.resolve("modalias"), "virtio:d00000002v00001AF4\n");
        Path elsewhere = Files.createDirectories(tmp.resolve("bus/virtio"));
        Files.writeString(elsewhere.resolve("modalias"), "never:read");
        Files.createSymbolicLink(virtio.resolve("subsystem"), elsewhere);
        Files.writeString(Files.createDirectories(sys.resolve("platform/empty")).resolve("modalias"), "\n");
        assertEquals(Set.of("pci:v00001AF4d00001001sv00001AF4sd00000002bc01sc00i00", "virtio:d00000002v00001AF4"),
                Coldplug.modaliases(sys));
    }
}
