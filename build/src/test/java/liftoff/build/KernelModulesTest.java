package liftoff.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KernelModulesTest {
    static final String KVER = "6.1.0-56-cloud-amd64";
    static final Path MODULES = Path.of("/lib/modules");

    @Test
    void storageGroupOnTheRealKernel() throws IOException {
        var selection = KernelModules.select(MODULES, KVER, List.of("storage"), Path.of("/lib/firmware"));
        assertEquals(List.of("virtio_ring", "virtio", "virtio_pci_modern_dev", "virtio_pci_legacy_dev", "virtio_pci",
                "virtio_blk", "scsi_common", "scsi_mod", "virtio_scsi", "libata", "ata_piix", "sd_mod"),
                ModuleDatabaseTest.names(selection.modules()));
        assertEquals(List.of("nvme: built into " + KVER, "ext4: built into " + KVER, "ahci: not in " + KVER + ", skipped"),
                selection.notes());
        assertEquals(List.of(), selection.compressed());
        assertEquals(Map.of(), selection.firmware());
    }

    @Test
    void theCryptGroupShipsButIsNotLoadedAtBoot() throws IOException {
        var selection = KernelModules.select(MODULES, KVER, KernelModules.DEFAULT, Path.of("/lib/firmware"));
        List<String> shipped = ModuleDatabaseTest.names(selection.modules());
        List<String> boot = ModuleDatabaseTest.names(selection.boot());
        assertTrue(shipped.containsAll(List.of("dm_mod", "dm_crypt", "ecb", "xts", "authenc", "essiv")), shipped.toString());
        assertEquals(ModuleDatabaseTest.names(KernelModules.select(MODULES, KVER, List.of("storage"), Path.of("/lib/firmware")).modules()),
                boot);
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
    void indexFilesForTheShippedSubset(@TempDir Path out) throws IOException {
        var selection = KernelModules.select(MODULES, KVER, List.of("sd_mod"), Path.of("/lib/firmware"));
        assertEquals(List.of("liftoff.load", "modules.dep", "modules.alias", "modules.builtin"), ModuleIndexFiles.write(selection, out));
        String prefix = "/lib/modules/" + KVER + "/kernel/drivers/scsi/";
        assertEquals(prefix + "scsi_common.ko\n" + prefix + "scsi_mod.ko\n" + prefix + "sd_mod.ko\n",
                Files.readString(out.resolve("liftoff.load")));
        assertEquals("kernel/drivers/scsi/scsi_mod.ko: kernel/drivers/scsi/scsi_common.ko\n"
                + "kernel/drivers/scsi/scsi_common.ko:\n"
                + "kernel/drivers/scsi/sd_mod.ko: kernel/drivers/scsi/scsi_mod.ko kernel/drivers/scsi/scsi_common.ko\n",
                Files.readString(out.resolve("modules.dep")));
        List<String> aliases = Files.readAllLines(out.resolve("modules.alias"));
        assertTrue(aliases.contains("alias scsi:t-0x00* sd_mod"), aliases.toString());
        assertTrue(aliases.stream().allMatch(a -> a.endsWith(" sd_mod") || a.endsWith(" scsi_mod") || a.endsWith(" scsi_common")));
        assertEquals(Files.readString(MODULES.resolve(KVER).resolve("modules.builtin")), Files.readString(out.resolve("modules.builtin")));
    }
}
