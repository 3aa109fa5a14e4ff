package liftoff.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import liftoff.init.modules.ModuleDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HOSTONLY's walk over the real /sys of this machine and over sysfs trees shaped like real ones. */
class HostOnlyTest {
    static final ModuleDatabase CLOUD = load();

    private static ModuleDatabase load() {
        try {
            return ModuleDatabase.load(KernelModulesTest.MODULES.resolve(KernelModulesTest.KVER));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void thisMachinesRootFromTheRealSys() throws IOException {
        HostOnly.Found found = HostOnly.forRunningRoot(CLOUD, Path.of("/sys"), Path.of("/proc/self/mountinfo"));
        Path device = Path.of("/sys/class/block", found.device()).toRealPath();
        // Whatever the disk is: every module whose alias matches a modalias up the device's parents is in.
        for (Path p = device; p.startsWith("/sys/devices/") ; p = p.getParent()) {
            Path modalias = p.resolve("modalias");
            if (!Files.isRegularFile(modalias)) continue;
            for (String module : CLOUD.modulesForModalias(Files.readString(modalias).strip())) {
                assertTrue(found.modules().contains(module) || CLOUD.isBuiltin(module), module + " for " + p + ": " + found);
            }
        }
        assertTrue(found.reasons().stream().anyMatch(r -> r.contains(found.fsType())), found.toString());
        if (Files.readString(device.getParent().getParent().resolve("modalias")).startsWith("virtio:d00000002")) {
            // This machine (checked 2026-11-24): ext4 on /dev/vda, virtio-blk over virtio-pci.
            assertEquals(List.of("virtio_blk", "virtio_pci"), found.modules(), found.toString());
        }
    }

    @Test
    void aLuksRootOnASataPartitionNeedsTheDiskAndDmCrypt(@TempDir Path sys) throws IOException {
        Path pci = dir(sys, "devices/pci0000:00/0000:00:1f.2");
        Files.writeString(pci.resolve("modalias"), "pci:v00008086d00002922sv00001AF4sd00001100bc01sc06i01\n");
        Path scsi = dir(pci, "ata1/host0/target0:0:0/0:0:0:0");
        Files.writeString(scsi.resolve("modalias"), "scsi:t-0x00\n");
        Path sda2 = dir(scsi, "block/sda/sda2");
        Path dm = dir(sys, "devices/virtual/block/dm-0");
        Files.writeString(dir(dm, "dm").resolve("uuid"), "CRYPT-LUKS2-0123456789abcdef-root\n");
        Files.createSymbolicLink(dir(dm, "slaves").resolve("sda2"), sda2);
        dir(sys, "class/block");
        Files.createSymbolicLink(sys.resolve("class/block/dm-0"), dm);
        HostOnly.Found found = HostOnly.forDevice(CLOUD, sys, "dm-0", "xfs");
        assertEquals(List.of("sd_mod", "dm_mod", "dm_crypt", "xfs"), found.modules(), found.toString());
        // The cloud kernel has no AHCI driver: said, not fatal.
        assertTrue(found.reasons().contains("sd_mod: pci0000:00/0000:00:1f.2/ata1/host0/target0:0:0/0:0:0:0 has modalias scsi:t-0x00"),
                found.toString());
        assertTrue(found.reasons().contains("dm_crypt: dm-0 is dm-crypt (CRYPT-LUKS2-...)"), found.toString());
    }

    @Test
    void aRootThatIsNoBlockDeviceIsAClearError(@TempDir Path dir) throws IOException {
        Path mountinfo = Files.writeString(dir.resolve("mountinfo"), "21 1 0:19 / / rw,relatime - tmpfs none rw\n");
        IOException e = assertThrows(IOException.class, () -> HostOnly.forRunningRoot(CLOUD, dir, mountinfo));
        assertEquals("hostonly: the root (none, tmpfs, device 0:19) is not a block device in " + dir
                + "; build a generic image instead", e.getMessage());
        assertThrows(IOException.class, () -> HostOnly.forDevice(CLOUD, dir, "sdz", "ext4"));
    }

    private static Path dir(Path base, String relative) throws IOException {
        return Files.createDirectories(base.resolve(relative));
    }
}
