package liftoff.image.qemu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo disk, checked with e2fsprogs, blkid and sgdisk instead of mounting it. */
class DemoRootTest {
    @TempDir
    Path work;

    private static String tool(String... command) throws IOException {
        return HostTools.run(List.of(command), Map.of());
    }

    @Test
    void aBareDiskIsACleanExt4WithTheLabelUuidAndTheInit() throws IOException {
        Path disk = work.resolve("root.img");
        DemoRoot root = DemoRoot.standard().withLabel("demo").withUuid(UUID.fromString("12345678-1234-4234-8234-123456789abc"));

        root.writeTo(disk);

        assertEquals(32L << 20, Files.size(disk));
        tool("e2fsck", "-fn", disk.toString());
        String probe = tool("blkid", "-p", "-o", "export", disk.toString());
        assertTrue(probe.contains("LABEL=demo\n") && probe.contains("UUID=12345678-1234-4234-8234-123456789abc\n")
                && probe.contains("TYPE=ext4\n"), probe);
        try (InputStream init = DemoRoot.class.getResourceAsStream("demo-init.sh")) {
            Path copy = work.resolve("init");
            tool("debugfs", "-R", "dump /sbin/init " + copy, disk.toString());
            assertArrayEquals(init.readAllBytes(), Files.readAllBytes(copy));
        }
        String sh = tool("debugfs", "-R", "stat /bin/sh", disk.toString());
        assertTrue(sh.contains("Type: symlink") && sh.contains("Fast link dest: \"busybox\""), sh);
        assertTrue(sh.contains(" ctime: 0x67748580:") && sh.contains(" mtime: 0x67748580:"), "2025-01-01, not now: " + sh);
        assertEquals("/dev/vda", root.guestDevice(DiskBus.VIRTIO_BLK));
    }

    @Test
    void theSameSettingsGiveTheSameBytes() throws IOException {
        DemoRoot root = DemoRoot.standard().withGpt("liftoff-root");
        root.writeTo(work.resolve("one.img"));
        root.writeTo(work.resolve("two.img"));

        assertArrayEquals(Files.readAllBytes(work.resolve("one.img")), Files.readAllBytes(work.resolve("two.img")));
    }

    @Test
    void aGptDiskHoldsTheFilesystemInItsNamedPartitionAtOneMiB() throws IOException {
        Path disk = work.resolve("gpt.img");
        DemoRoot root = DemoRoot.standard().withSizeMiB(16).withGpt("rootfs")
                .withPartitionUuid(UUID.fromString("0fc63daf-0000-4000-8000-00000000abcd"));

        root.writeTo(disk);

        assertEquals(18L << 20, Files.size(disk));
        String partition = tool("sgdisk", "-i", "1", disk.toString());
        assertTrue(partition.contains("Partition name: 'rootfs'")
                && partition.contains("Partition unique GUID: 0FC63DAF-0000-4000-8000-00000000ABCD")
                && partition.contains("First sector: 2048 ")
                && partition.contains("Partition size: 32768 sectors"), partition);
        tool("sgdisk", "-v", disk.toString());
        String probe = tool("blkid", "-p", "-o", "export", "-O", "1048576", disk.toString());
        assertTrue(probe.contains("LABEL=liftoff-root\n") && probe.contains("TYPE=ext4\n"), probe);
        assertEquals("/dev/vda1", root.guestDevice(DiskBus.VIRTIO_BLK));
        assertEquals("/dev/nvme0n1p1", root.guestDevice(DiskBus.NVME));
    }
}
