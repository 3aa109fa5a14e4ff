package liftoff.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KernelModulesTest {
    static final String KVER = InstalledKernel.VERSION;
    static final Path MODULES = Path.of("/lib/modules");

    @Test
    void storageGroupOnTheRealKernel() throws IOException {
        var selection = KernelModules.select(MODULES, KVER, KernelModules.DEFAULT, Path.of("/lib/firmware"));
        assertEquals(List.of("virtio_ring", "virtio", "virtio_pci_modern_dev", "virtio_pci_legacy_dev", "virtio_pci",
                "virtio_blk", "scsi_common", "scsi_mod", "virtio_scsi", "libata", "ata_piix", "ata_generic", "sd_mod",
                "cdrom", "sr_mod", "vmw_pvscsi", "hv_vmbus", "scsi_transport_fc", "hv_storvsc", "xen_blkfront", "xen_scsifront"),
                ModuleDatabaseTest.names(selection.modules()).subList(0, 21));
        // The filesystems, dm-verity and dm-crypt ship for the init to load when a root needs one, with
        // their dependencies and softdeps (btrfs' checksum drivers).
        assertTrue(Set.copyOf(ModuleDatabaseTest.names(selection.modules()).subList(21, selection.modules().size())).containsAll(Set.of("squashfs", "libcrc32c", "erofs", "overlay", "xfs", "xor", "raid6_pq", "zstd_compress", "btrfs",
                "crc32c_intel", "xxhash_generic", "sha256_ssse3", "blake2b_generic", "fat", "vfat", "nls_cp437", "nls_ascii", "nls_utf8",
                "dm_mod", "reed_solomon", "dm_bufio", "dm_verity", "sha512_generic", "dm_crypt", "ecb", "xts", "authenc", "essiv")));
        // Every storage module is a device driver or a driver's library, the rest are on demand: the
        // init loads none of them up front.
        assertEquals(List.of(), selection.eager());
        assertTrue(selection.notes().containsAll(List.of("nvme: built into " + KVER, "ext4: built into " + KVER,
                "ahci: not in " + KVER + ", skipped", "usb_storage: not in " + KVER + ", skipped")), selection.notes().toString());
        assertEquals(List.of(), selection.compressed());
        assertEquals(Map.of(), selection.firmware());
    }

    @Test
    void anOnDemandModuleThatABootModuleNeedsLoadsAtBoot() throws IOException {
        // dm_crypt, asked for by name, needs dm_mod at boot; the verity group's own modules stay on demand.
        var selection = KernelModules.select(MODULES, KVER, List.of("dm_crypt", "verity"), Path.of("/lib/firmware"));
        assertEquals(List.of("dm_mod", "dm_crypt"), ModuleDatabaseTest.names(selection.eager()));
        assertTrue(ModuleDatabaseTest.names(selection.modules()).containsAll(List.of("dm_bufio", "reed_solomon", "dm_verity", "sha512_generic")));
    }

    @Test
    void dmCryptBringsTheModulesOfCryptsetupsDefaultCiphers() throws IOException {
        // An explicit list, as `liftoff build --module virtio_pci --module virtio_blk --module dm_crypt`: the table of an
        // aes-xts-plain64 volume needs xts(aes), which the crypto API builds from xts over ecb(aes), and aes-cbc-essiv:sha256
        // needs essiv. cbc and the generic aes and sha256 are built into this kernel.
        var selection = KernelModules.select(MODULES, KVER, List.of("virtio_pci", "virtio_blk", "dm_crypt"), Path.of("/lib/firmware"));
        List<String> modules = ModuleDatabaseTest.names(selection.modules());
        assertTrue(modules.containsAll(List.of("xts", "ecb", "essiv", "aesni_intel", "sha256_ssse3")), modules.toString());
        // They are loaded when a LUKS device is opened, not at every boot, and coldplug does not load aesni_intel by the CPU's modalias.
        assertTrue(selection.onDemand().containsAll(List.of("xts", "ecb", "essiv", "aesni_intel")), selection.onDemand().toString());
        assertEquals(List.of("dm_mod", "dm_crypt"), ModuleDatabaseTest.names(selection.eager()));
        assertTrue(selection.notes().contains("crypto-cbc (for aes-cbc-essiv:sha256): no module in " + KVER
                + " (built in, or not in this kernel)"), selection.notes().toString());
        // No dm-crypt, no ciphers.
        assertFalse(ModuleDatabaseTest.names(KernelModules.select(MODULES, KVER, List.of("virtio_blk"), Path.of("/lib/firmware")).modules())
                .contains("xts"));
    }

    @Test
    void unknownExplicitModuleIsAnErrorNamingModulesDep() {
        IOException e = assertThrows(IOException.class,
                () -> KernelModules.select(MODULES, KVER, List.of("virtio_blk", "no_such_driver"), Path.of("/lib/firmware")));
        assertEquals(MODULES.resolve(KVER).resolve("modules.dep")
                + ": no module no_such_driver (neither listed there, nor an alias, nor in modules.builtin)", e.getMessage());
    }

    @Test
    void firmwareFoundIncludingCompressedAndMissingIsANote(@TempDir Path firmware) throws IOException {
        // ni_pcidio declares niscrb02.bin, niscrb01.bin and ni6534a.bin: one is present only xz-compressed,
        // one in the kernel-specific directory (which the loader searches first), one is missing.
        Files.writeString(firmware.resolve("niscrb01.bin.xz"), "blob");
        Files.writeString(firmware.resolve("niscrb02.bin"), "generic");
        Files.createDirectories(firmware.resolve(KVER));
        Files.writeString(firmware.resolve(KVER).resolve("niscrb02.bin"), "for this kernel");
        var selection = KernelModules.select(MODULES, KVER, List.of("ni_pcidio"), firmware);
        assertEquals(new TreeMap<>(Map.of("niscrb01.bin.xz", firmware.resolve("niscrb01.bin.xz"),
                KVER + "/niscrb02.bin", firmware.resolve(KVER).resolve("niscrb02.bin"))), selection.firmware());
        assertEquals(List.of("ni_pcidio: firmware ni6534a.bin not found under " + firmware + " (warning)"), selection.notes());
    }

    @Test
    void compressedModulesShipAsIsAndTheirModinfoIsRead(@TempDir Path base) throws IOException, InterruptedException {
        Path kernel = Files.createDirectories(base.resolve("6.9.0/kernel/drivers/comedi/drivers"));
        Path source = MODULES.resolve(KVER).resolve("kernel/drivers/comedi/drivers/ni_pcidio.ko");
        Path zst = kernel.resolve("ni_pcidio.ko.zst");
        Process zstd = new ProcessBuilder("zstd", "-q", "-o", zst.toString(), source.toString()).inheritIO().start();
        assertEquals(0, zstd.waitFor());
        Files.writeString(base.resolve("6.9.0/modules.dep"), "kernel/drivers/comedi/drivers/ni_pcidio.ko.zst:\n");

        var selection = KernelModules.select(base, "6.9.0", List.of("ni-pcidio"), base.resolve("firmware"));
        assertEquals(".zst", selection.compressed().getFirst().compression());
        assertEquals(3, selection.notes().size(), selection.notes().toString());
        assertTrue(selection.notes().getFirst().contains("firmware niscrb02.bin not found"), selection.notes().toString());
    }

    @Test
    void staleModulesDepAndMissingSoftdepsAreExplained(@TempDir Path base) throws IOException {
        Path kernel = Files.createDirectories(base.resolve("6.9.0/kernel"));
        Files.copy(MODULES.resolve(KVER).resolve("kernel/drivers/virtio/virtio_ring.ko"), kernel.resolve("virtio_ring.ko"));
        Files.writeString(base.resolve("6.9.0/modules.dep"), "kernel/virtio_ring.ko:\nkernel/gone.ko:\n");
        Files.writeString(base.resolve("6.9.0/modules.softdep"), "softdep virtio_ring pre: crypto-nothing\n");
        var selection = KernelModules.select(base, "6.9.0", List.of("virtio_ring"), base);
        assertEquals(List.of("crypto-nothing: a softdep or dependency that is not in 6.9.0, skipped"), selection.notes());

        IOException e = assertThrows(IOException.class, () -> KernelModules.select(base, "6.9.0", List.of("gone"), base));
        assertEquals(base.resolve("6.9.0/modules.dep") + ": lists kernel/gone.ko, which does not exist (stale modules.dep? run depmod 6.9.0)",
                e.getMessage());
    }

    @Test
    void onDemandModulesAreInModulesDepButNotInTheLoadList(@TempDir Path out) throws IOException {
        var selection = KernelModules.select(MODULES, KVER, List.of("dm_crypt", "verity"), Path.of("/lib/firmware"));
        ModuleIndexFiles.write(selection, out, UnaryOperator.identity());
        String load = Files.readString(out.resolve("liftoff.load"));
        assertTrue(load.endsWith("/dm-crypt.ko\n") && !load.contains("dm-verity"), load);
        assertTrue(Files.readString(out.resolve("modules.dep")).contains(
                "kernel/drivers/md/dm-verity.ko: kernel/drivers/md/dm-bufio.ko kernel/drivers/md/dm-mod.ko kernel/lib/reed_solomon/reed_solomon.ko\n"));
    }

    @Test
    void indexFilesForTheShippedSubset(@TempDir Path out) throws IOException {
        var selection = KernelModules.select(MODULES, KVER, List.of("sd_mod", "isofs"), Path.of("/lib/firmware"));
        assertEquals(List.of("liftoff.load", "modules.dep", "modules.alias", "modules.softdep", "modules.builtin"),
                ModuleIndexFiles.write(selection, out, UnaryOperator.identity()));
        // sd_mod waits for a SCSI disk (its alias scsi:t-0x00*); a filesystem no device asks for loads at once.
        String prefix = "/lib/modules/" + KVER + "/kernel/";
        assertEquals(prefix + "drivers/cdrom/cdrom.ko\n" + prefix + "fs/isofs/isofs.ko\n", Files.readString(out.resolve("liftoff.load")));
        assertEquals("kernel/fs/isofs/isofs.ko: kernel/drivers/cdrom/cdrom.ko\n"
                + "kernel/drivers/scsi/scsi_mod.ko: kernel/drivers/scsi/scsi_common.ko\n"
                + "kernel/drivers/scsi/scsi_common.ko:\n"
                + "kernel/drivers/scsi/sd_mod.ko: kernel/drivers/scsi/scsi_mod.ko kernel/drivers/scsi/scsi_common.ko\n"
                + "kernel/drivers/cdrom/cdrom.ko:\n",
                Files.readString(out.resolve("modules.dep")));
        assertEquals("", Files.readString(out.resolve("modules.softdep")), "none of them has a softdep");
        List<String> aliases = Files.readAllLines(out.resolve("modules.alias"));
        assertTrue(aliases.contains("alias scsi:t-0x00* sd_mod"), aliases.toString());
        assertTrue(aliases.contains("alias fs-iso9660 isofs"), aliases.toString());
        assertTrue(aliases.stream().allMatch(a -> a.matches(".* (sd_mod|scsi_mod|scsi_common|isofs|cdrom)")), aliases.toString());
        assertEquals(Files.readString(MODULES.resolve(KVER).resolve("modules.builtin")), Files.readString(out.resolve("modules.builtin")));
    }
}
