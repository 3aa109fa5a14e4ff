package liftoff.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import static liftoff.image.qemu.TestBoot.BOOT;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import liftoff.image.TestImages.Image;
import liftoff.image.qemu.DemoRoot;
import liftoff.image.qemu.DiskBus;
import liftoff.image.qemu.Kernel;
import liftoff.image.qemu.Monitor;
import liftoff.image.qemu.Qemu;
import liftoff.image.qemu.QemuExit;
import liftoff.image.qemu.QemuProcess;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * Device discovery for real: the generic image (every storage driver, none loaded up front) booted
 * in QEMU with the root on a GPT partition behind different controllers. Coldplug must load the
 * drivers of the devices present, uevents those of the devices they create (virtio_scsi's disks
 * need sd_mod), and nothing for a controller that is not there. Each console is kept under
 * target/storage-boot/ for reading the timeline.
 */
@Tag("qemu")
class StorageBootTest {
    private static final UUID PARTITION_UUID = UUID.fromString("5eed0000-2222-4333-8444-555566667777");
    private static final DemoRoot ROOT = DemoRoot.standard().withGpt("liftoff-root").withPartitionUuid(PARTITION_UUID);

    @TempDir
    static Path work;
    static Image image;
    static Path gptDisk;

    @BeforeAll
    static void buildImageAndDisk() throws Exception {
        image = TestImages.build();
        gptDisk = ROOT.writeTo(work.resolve("gpt.img"));
    }

    /** Boots with the root disk on {@code bus}; the real init must have started from the root's partition there. */
    private static QemuExit bootToRoot(Qemu.Machine machine, DiskBus bus, String append, TestInfo test) throws Exception {
        QemuExit exit = keep(image.qemu(append).machine(machine).disk(gptDisk, bus).icount(true).run(), test);
        RealRoot.assertReachedOn(exit, ROOT.guestDevice(bus));
        return exit;
    }

    /** Keeps the console and timeline under target/storage-boot/; fails when QEMU had to be killed. */
    private static QemuExit keep(QemuExit exit, TestInfo test) throws IOException {
        Path log = Path.of("target/storage-boot", test.getTestMethod().orElseThrow().getName() + ".log");
        Files.createDirectories(log.getParent());
        Files.writeString(log, exit.console() + "\n" + exit.timeline().table());
        assertFalse(exit.timedOut(), exit.console());
        return exit;
    }

    /** The init's line for {@code prefix} ("liftoff: coldplug: ..."), which must be there. */
    private static String line(QemuExit exit, String prefix) {
        return exit.console().lines().filter(l -> l.contains(prefix)).findFirst()
                .orElseThrow(() -> new AssertionError("no line with '" + prefix + "'\n" + exit.console()));
    }

    /** Coldplug or a uevent started loading {@code module}. */
    private static boolean loading(QemuExit exit, String module) {
        return exit.console().lines().anyMatch(l -> (l.contains("liftoff: coldplug: ") || l.contains("liftoff: uevent: loading "))
                && l.matches(".*[ ]" + module + "( .*|$)"));
    }

    /** The background load of {@code module} finished. */
    private static boolean loaded(QemuExit exit, String module) {
        return exit.console().contains("liftoff: loaded " + module + " in ");
    }

    @Test
    void virtioScsiRootOnQ35LoadsTheScsiDiskDriverFromAUevent(TestInfo test) throws Exception {
        QemuExit exit = bootToRoot(Qemu.Machine.Q35, DiskBus.VIRTIO_SCSI, "root=PARTUUID=" + PARTITION_UUID, test);
        assertTrue(line(exit, "liftoff: coldplug: ").endsWith("loading virtio_pci"), exit.console());
        // virtio_pci makes the virtio device, whose uevent asks for virtio_scsi; its scan makes the
        // SCSI disk, whose uevent asks for sd_mod.
        line(exit, "liftoff: uevent: loading virtio_scsi for virtio:d00000008v00001AF4");
        line(exit, "liftoff: uevent: loading sd_mod for scsi:t-0x00");
        for (String driver : new String[] {"virtio_pci", "virtio_scsi", "sd_mod"}) assertTrue(loaded(exit, driver), driver);
        for (String absent : new String[] {"ata_piix", "ata_generic", "virtio_blk", "vmw_pvscsi", "hv_storvsc", "sr_mod"}) {
            assertFalse(loading(exit, absent), absent + " has no device on this machine\n" + exit.console());
        }
    }

    @Test
    void nvmeRootOnQ35NeedsNoModuleAtAll(TestInfo test) throws Exception {
        // Debian's cloud kernel has nvme built in; q35's AHCI controller has no driver in it.
        QemuExit exit = bootToRoot(Qemu.Machine.Q35, DiskBus.NVME, "root=PARTLABEL=liftoff-root", test);
        assertTrue(line(exit, "liftoff: coldplug: ").contains("no driver to load"), exit.console());
        assertFalse(exit.console().contains("liftoff: uevent: loading"), exit.console());
        // The real root finds udev's names for its disk (its init lists /dev/disk/by-*).
        String links = exit.console().substring(exit.console().indexOf("REAL-ROOT disk links:"));
        for (String link : new String[] {"/dev/disk/by-uuid:", ROOT.uuid() + " -> ../../nvme0n1p1",
                "/dev/disk/by-label:", ROOT.label() + " -> ../../nvme0n1p1",
                "/dev/disk/by-partuuid:", PARTITION_UUID + " -> ../../nvme0n1p1",
                "/dev/disk/by-partlabel:", "liftoff-root -> ../../nvme0n1p1"}) {
            assertTrue(links.contains(link), link + "\n" + links);
        }
        line(exit, "liftoff: disk links: 4 under /dev/disk in ");
    }

    @Test
    void virtioBlkRootOnPcLeavesTheIdeControllersDriversToTheRealSystem(TestInfo test) throws Exception {
        // The PIIX3 IDE controller is a device too, but its drivers (libata, scsi_mod: 1.4 MB) cost
        // more than virtio's: they wait in the queue, the root is found first, and they are left.
        QemuExit exit = bootToRoot(Qemu.Machine.PC, DiskBus.VIRTIO_BLK, "root=PARTUUID=" + PARTITION_UUID, test);
        assertTrue(line(exit, "liftoff: coldplug: ").endsWith("loading virtio_pci ata_generic ata_piix"), exit.console());
        line(exit, "liftoff: uevent: loading virtio_blk for virtio:d00000002v00001AF4");
        line(exit, "liftoff: not loaded, no root needs them (the real system's udev loads them): ata_generic ata_piix");
        for (String driver : new String[] {"ata_generic", "ata_piix", "libata"}) {
            assertFalse(loaded(exit, driver) || exit.console().contains("module " + driver + " not loaded"), driver + "\n" + exit.console());
        }
        assertFalse(exit.console().contains("scsi host"), "no IDE channel became a SCSI host\n" + exit.console());
    }

    @Test
    void ideRootOnPcLoadsTheQueuedDriversUntilItsDiskComes(TestInfo test) throws Exception {
        QemuExit exit = bootToRoot(Qemu.Machine.PC, DiskBus.IDE, "root=PARTUUID=" + PARTITION_UUID, test);
        // ata_generic (the smaller) first; it does not take the PIIX, so the root wait finds
        // nothing and ata_piix gets its turn; its disk asks for sd_mod.
        assertTrue(line(exit, "liftoff: coldplug: ").endsWith("loading ata_generic ata_piix"), exit.console());
        String console = exit.console();
        assertTrue(console.indexOf("liftoff: loaded ata_generic in ") < console.indexOf("scsi host0: ata_piix"), console);
        assertTrue(loaded(exit, "ata_piix"), console);
        line(exit, "liftoff: uevent: loading sd_mod for scsi:t-0x00");
        assertFalse(console.contains("liftoff: not loaded, no root needs them"), console);
    }

    @Test
    void virtioBlkRootOnPcWithTheIdeDriverBlacklistedAndAModuleAskedFor(TestInfo test) throws Exception {
        // The pc machine always has a PIIX3 IDE controller: coldplug would load ata_piix for it.
        QemuExit exit = bootToRoot(Qemu.Machine.PC, DiskBus.VIRTIO_BLK,
                "root=PARTUUID=" + PARTITION_UUID + " modprobe.blacklist=ata_piix,ata_generic liftoff.modules=sr_mod", test);
        line(exit, "liftoff: uevent: loading virtio_blk for virtio:d00000002v00001AF4");
        assertFalse(exit.console().lines().anyMatch(l -> l.contains("liftoff:") && l.contains("ata_piix")), exit.console());
        assertFalse(exit.console().contains("scsi host"), "no IDE channel became a SCSI host\n" + exit.console());
        assertTrue(exit.console().contains("liftoff: liftoff.modules: loaded cdrom scsi_common scsi_mod sr_mod"), exit.console());
    }

    @Test
    void ahciRootOnQ35WithTheGenericKernelOnACpuWithoutSse42(TestInfo test) throws Exception {
        // The cloud kernel has no AHCI driver: this image is built for Debian's generic kernel.
        // Its ext4 is a module whose softdep names crc32c by an alias of two modules; on qemu64
        // (no SSE 4.2) crc32c_intel has nothing to serve, and without crc32c_generic beside it
        // the mount failed ("EXT4-fs (sda1): Cannot load crc32c driver.").
        Image generic = TestImages.build(Kernel.newestInstalled(Kernel.Flavour.GENERIC));
        QemuExit exit = keep(generic.qemu("root=PARTUUID=" + PARTITION_UUID).machine(Qemu.Machine.Q35).disk(gptDisk, DiskBus.AHCI)
                .cpu("qemu64").icount(true).run(), test);
        RealRoot.assertReachedOn(exit, ROOT.guestDevice(DiskBus.AHCI));
        assertTrue(line(exit, "liftoff: coldplug: ").matches(".*loading .*\\bahci\\b.*"), exit.console());
        line(exit, "liftoff: uevent: loading sd_mod for scsi:t-0x00");
        for (String driver : new String[] {"ahci", "sd_mod"}) assertTrue(loaded(exit, driver), driver);
        assertFalse(loading(exit, "ata_piix"), "q35 has no PIIX IDE\n" + exit.console());
        line(exit, "liftoff: module crc32c_intel has nothing to serve here (ENODEV)");
    }

    @Test
    void aDiskHotAddedAfterBootIsTheRootRootwaitWaitsFor(TestInfo test) throws Exception {
        // Nothing at boot but an empty PCIe slot; the disk comes through the monitor while the init waits.
        Path socket = work.resolve("monitor.sock");
        Qemu qemu = image.qemu("root=PARTUUID=" + PARTITION_UUID + " rootwait").machine(Qemu.Machine.Q35).hotplugPort("slot1")
                .monitor(socket).icount(true);
        try (QemuProcess vm = qemu.start()) {
            vm.console().await("liftoff: modules loaded", BOOT);
            try (Monitor monitor = vm.monitor()) {
                assertEquals("OK", monitor.command("drive_add 0 if=none,id=hot,format=raw,file=" + gptDisk));
                assertEquals("", monitor.command("device_add virtio-blk-pci,drive=hot,bus=slot1,id=hotdisk"));
            }
            QemuExit exit = keep(vm.waitFor(), test);
            RealRoot.assertReachedOn(exit, "/dev/vda1");
            // The new PCI function asks for virtio_pci, the virtio device it makes for virtio_blk.
            line(exit, "liftoff: uevent: loading virtio_pci for pci:v00001AF4d");
            line(exit, "liftoff: uevent: loading virtio_blk for virtio:d00000002v00001AF4");
            assertTrue(line(exit, "liftoff: coldplug: ").endsWith("no driver to load"), "no disk at boot\n" + exit.console());
        }
    }
}
