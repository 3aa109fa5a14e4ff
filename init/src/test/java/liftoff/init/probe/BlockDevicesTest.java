package liftoff.init.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlockDevicesTest {

    @TempDir
    Path dir;

    @Test
    void listsDisksAndPartitionsFromSysfs() throws IOException {
        FakeSysfs fake = new FakeSysfs(dir.resolve("root"))
                .disk("vda", 254, 0, null)
                .partition("vda", "vda1", 254, 1, 1, null)
                .disk("nvme0n1", 259, 0, null)
                .partition("nvme0n1", "nvme0n1p2", 259, 2, 2, null)
                .disk("cciss!c0d0", 104, 0, null);
        assertEquals(List.of(
                new BlockDevice("cciss!c0d0", 104, 0, 0, null, fake.dev.resolve("cciss/c0d0")),
                new BlockDevice("nvme0n1", 259, 0, 0, null, fake.dev.resolve("nvme0n1")),
                new BlockDevice("nvme0n1p2", 259, 2, 2, "nvme0n1", fake.dev.resolve("nvme0n1p2")),
                new BlockDevice("vda", 254, 0, 0, null, fake.dev.resolve("vda")),
                new BlockDevice("vda1", 254, 1, 1, "vda", fake.dev.resolve("vda1"))),
                fake.devices().list());
    }

    @Test
    void skipsEntriesThatAreHalfThere() throws IOException {
        FakeSysfs fake = new FakeSysfs(dir.resolve("root")).disk("vda", 254, 0, null);
        Files.createDirectories(fake.sys.resolve("class/block/sdz"));  // no dev file (yet)
        Path bad = Files.createDirectories(fake.sys.resolve("class/block/sdy"));
        Files.writeString(bad.resolve("dev"), "garbage\n");
        assertEquals(List.of("vda"), names(fake.devices().list()));
    }

    @Test
    void findsAPartitionsTableEntryInItsParentDisk() throws IOException {
        Path gpt = Samples.unpack("gpt", dir);
        FakeSysfs fake = new FakeSysfs(dir.resolve("root"))
                .disk("sda", 8, 0, gpt)
                .partition("sda", "sda2", 8, 2, 2, null);
        BlockDevices devices = fake.devices();
        BlockDevice sda2 = devices.byNumber(8, 2);
        Partition entry = devices.partitionEntry(sda2);
        assertEquals("root ü", entry.label());
        assertEquals("2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e", entry.uuid());
        assertNull(devices.partitionEntry(devices.byNumber(8, 0)), "a whole disk has no entry");
        assertNull(devices.byNumber(8, 9));
    }

    /** The real sysfs of this machine agrees with /proc/partitions, the kernel's other list. */
    @Test
    void realSysfsAgreesWithProcPartitions() throws IOException {
        List<BlockDevice> devices = BlockDevices.system().list();
        assertFalse(devices.isEmpty(), "/sys/class/block lists no block device");
        List<String> lines = Files.readAllLines(Path.of("/proc/partitions"));
        int checked = 0;
        for (String line : lines.subList(2, lines.size())) {
            String[] f = line.trim().split("\\s+");
            BlockDevice device = BlockDevices.system().byNumber(Integer.parseInt(f[0]), Integer.parseInt(f[1]));
            assertNotNull(device, "sysfs lacks " + line);
            assertEquals(f[3].replace('/', '!'), device.name());
            assertEquals(Path.of("/dev").resolve(f[3]), device.node());
            if (device.isPartition()) {
                assertEquals(true, Files.isDirectory(Path.of("/sys/class/block", device.disk())), device.toString());
            }
            checked++;
        }
        assertEquals(true, checked > 0, "/proc/partitions is empty");
    }

    private static List<String> names(List<BlockDevice> devices) {
        List<String> names = new ArrayList<>();
        for (BlockDevice d : devices) {
            names.add(d.name());
        }
        return names;
    }
}
