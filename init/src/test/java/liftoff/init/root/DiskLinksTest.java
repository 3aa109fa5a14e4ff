package liftoff.init.root;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import liftoff.init.probe.FakeSysfs;
import liftoff.init.probe.Samples;
import liftoff.init.probe.TagText;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** /dev/disk/by-* links for a fake machine whose disks hold images real mkfs tools made. */
class DiskLinksTest {
    @TempDir
    Path dir;

    @Test
    void linksEveryNameTheProbesFindAsUdevWould() throws IOException {
        Path samples = Files.createDirectories(dir.resolve("samples"));
        FakeSysfs fake = new FakeSysfs(dir.resolve("machine"))
                .disk("vda", 254, 0, Samples.unpack("gpt", samples))
                .partition("vda", "vda1", 254, 1, 1, Samples.unpack("ext4", samples))
                .partition("vda", "vda2", 254, 2, 2, Samples.unpack("xfs", samples))
                .disk("nvme0n1", 259, 0, Samples.unpack("dos", samples))
                .partition("nvme0n1", "nvme0n1p5", 259, 3, 5, Samples.unpack("swap", samples))
                .disk("cciss!c0d0", 104, 0, Samples.unpack("squashfs", samples))
                .disk("sr0", 11, 0, null);
        int made = DiskLinks.create(fake.devices());
        Map<String, String> links = new TreeMap<>();
        try (var walk = Files.walk(fake.dev.resolve("disk"))) {
            for (Path link : walk.filter(Files::isSymbolicLink).toList()) {
                links.put(fake.dev.relativize(link).toString(), Files.readSymbolicLink(link).toString());
                assertTrue(Files.exists(link), link + " leads to the node");
            }
        }
        // squashfs has no UUID and no label; sr0 has no node; the whole disks' tables are not filesystems.
        assertEquals(new TreeMap<>(Map.ofEntries(
                Map.entry("disk/by-uuid/0b7c2e1a-7c44-4f4e-9d3e-1f2a3b4c5d6e", "../../vda1"),
                Map.entry("disk/by-uuid/6e0f4c1a-2b3d-4e5f-8a9b-0c1d2e3f4a5b", "../../vda2"),
                Map.entry("disk/by-uuid/11111111-2222-3333-4444-555555555555", "../../nvme0n1p5"),
                Map.entry("disk/by-label/root", "../../vda1"),
                Map.entry("disk/by-label/xroot", "../../vda2"),
                Map.entry("disk/by-label/swap0", "../../nvme0n1p5"),
                Map.entry("disk/by-partuuid/1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d", "../../vda1"),
                Map.entry("disk/by-partuuid/2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e", "../../vda2"),
                Map.entry("disk/by-partuuid/1234abcd-05", "../../nvme0n1p5"),
                Map.entry("disk/by-partlabel/EFI", "../../vda1"),
                Map.entry("disk/by-partlabel/root\\x20ü", "../../vda2"))), links);
        assertEquals(links.size(), made);
        assertEquals(0, DiskLinks.create(fake.devices()), "a second run finds them made");
    }

    @Test
    void namesAreEscapedAsBlkidEncodeStringDoes() {
        assertEquals("liftoff-root", DiskLinks.encode("liftoff-root"));
        assertEquals("My\\x20Disk", DiskLinks.encode("My Disk"));
        assertEquals("a\\x2fb\\x5cc", DiskLinks.encode("a/b\\c"));
        assertEquals("root\\x20ü", DiskLinks.encode("root ü"));
        assertEquals("#+-.:=@_", DiskLinks.encode("#+-.:=@_"));
        assertEquals("\\x24\\x2a\\x09", DiskLinks.encode("$*\t"));
    }

    /**
     * Label bytes as blkid -p -o udev encoded them in ID_FS_LABEL_ENC: a code-page byte that is not
     * UTF-8 (0xE9, é in Latin-1) as \xe9, U+FFFD kept, the noncharacters U+FFFF and U+FDD0 escaped.
     */
    @Test
    void bytesThatAreNotUtf8AreEscapedOneByOne() {
        byte[] label = {(byte) 0xE9, (byte) 0xEF, (byte) 0xBF, (byte) 0xBF, (byte) 0xEF, (byte) 0xB7, (byte) 0x90,
                ' ', (byte) 0xEF, (byte) 0xBF, (byte) 0xBD, (byte) 0xEF, (byte) 0xBF, (byte) 0xBE};
        assertEquals("\\xe9\\xef\\xbf\\xbf\\xef\\xb7\\x90\\x20\uFFFD\uFFFE", DiskLinks.encode(TagText.decode(label)));
    }
}
