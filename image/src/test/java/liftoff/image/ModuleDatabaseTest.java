package liftoff.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.Set;
import liftoff.init.modules.ModuleDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModuleDatabaseTest {
    static final Path FIXTURES = Path.of("src/test/resources/modules");
    static final Path FIXTURE = FIXTURES.resolve("6.2.0-fixture");
    static final Path HOST_KERNEL = Path.of("/lib/modules", InstalledKernel.VERSION);

    static List<String> names(List<ModuleDatabase.Module> modules) {
        return modules.stream().map(ModuleDatabase.Module::name).toList();
    }

    @Test
    void dependenciesLoadFirstAndDashEqualsUnderscore() throws IOException {
        ModuleDatabase db = ModuleDatabase.load(FIXTURE);
        List<String> missing = new ArrayList<>();
        // modprobe loads a module's modules.dep list last-to-first; "virtio-blk" is "virtio_blk".
        assertEquals(List.of("virtio_ring", "virtio", "virtio_blk"), names(db.loadOrder(List.of("virtio_blk"), missing::add)));
        assertEquals(List.of("no-such-module"), missing);
        assertEquals("kernel/drivers/block/virtio-blk.ko", db.find("virtio-blk").path());
    }

    @Test
    void softdepPreComesFirstThroughAliasesAndPostIsIgnored() throws IOException {
        ModuleDatabase db = ModuleDatabase.load(FIXTURE);
        List<String> missing = new ArrayList<>();
        List<ModuleDatabase.Module> order = db.loadOrder(List.of("btrfs", "ext4", "nvme-core"), missing::add);
        // btrfs pre: crypto-crc32c (an alias of crc32c_generic); libcrc32c pre: crc32c (also that alias).
        assertEquals(List.of("crc32c_generic", "libcrc32c", "raid6_pq", "xor", "btrfs"), names(order));
        assertEquals(List.of(), missing, "builtin ext4 and nvme-core need nothing");
        assertEquals(".zst", order.getLast().compression());
        assertEquals("", order.getFirst().compression());
    }

    @Test
    void anAliasOfTwoModulesLoadsBothAsModprobeDoes(@TempDir Path dir) throws IOException {
        // Debian's generic kernel: ext4's softdep names crc32c by an alias that two modules carry;
        // crc32c_intel fails on a CPU without SSE 4.2, and ext4 mounts with crc32c_generic.
        Files.writeString(dir.resolve("modules.dep"), """
                kernel/arch/x86/crypto/crc32c-intel.ko:
                kernel/crypto/crc32c_generic.ko:
                kernel/fs/ext4/ext4.ko: kernel/fs/jbd2/jbd2.ko
                kernel/fs/jbd2/jbd2.ko:
                """);
        Files.writeString(dir.resolve("modules.alias"), """
                alias crypto-crc32c crc32c_intel
                alias crc32c crc32c_intel
                alias crypto-crc32c crc32c_generic
                alias crc32c crc32c_generic
                """);
        Files.writeString(dir.resolve("modules.softdep"), "softdep ext4 pre: crypto-crc32c\nsoftdep jbd2 pre: crypto-crc32c\n");
        ModuleDatabase db = ModuleDatabase.load(dir);
        assertEquals(List.of("crc32c_intel", "crc32c_generic", "jbd2", "ext4"), names(db.loadOrder(List.of("ext4"), m -> {})));
        assertEquals(List.of("crc32c_intel", "crc32c_generic"), names(db.findAll("crc32c")));
        assertEquals("crc32c_intel", db.find("crc32c").name());
        assertEquals(List.of("ext4"), names(db.findAll("ext4")), "a module's own name wins over aliases");
    }

    @Test
    void aCycleInAHandMadeFileEndsAndTheOrderIsStable() throws IOException {
        ModuleDatabase db = ModuleDatabase.load(FIXTURE);
        assertEquals(List.of("b", "a"), names(db.loadOrder(List.of("a"), m -> {})));
        assertEquals(List.of("a", "b"), names(db.loadOrder(List.of("b"), m -> {})));
    }

    @Test
    void anOnDemandModuleKeepsItsNamesButNotTheCpuModaliasColdplugWouldMatch() throws IOException {
        ModuleDatabase db = ModuleDatabase.load(HOST_KERNEL);
        List<String> all = db.aliasLines(Set.of("sha256_ssse3"), Set.of());
        List<String> onDemand = db.aliasLines(Set.of("sha256_ssse3"), Set.of("sha256_ssse3"));
        assertTrue(all.stream().anyMatch(l -> l.startsWith("alias cpu:")), all.toString());
        assertTrue(onDemand.contains("alias crypto-sha256-ni sha256_ssse3") && onDemand.stream().noneMatch(l -> l.startsWith("alias cpu:")),
                onDemand.toString());
    }

    @Test
    void filteredIndexLinesKeepOnlyShippedModules() throws IOException {
        ModuleDatabase db = ModuleDatabase.load(FIXTURE);
        assertEquals(List.of("alias virtio:d00000002v* virtio_blk"), db.aliasLines(Set.of("virtio_blk"), Set.of()));
        assertEquals(List.of("kernel/drivers/block/virtio-blk.ko: kernel/drivers/virtio/virtio.ko kernel/drivers/virtio/virtio_ring.ko",
                "kernel/drivers/virtio/virtio_ring.ko:"), db.depLines(Set.of("virtio_ring", "virtio_blk"), UnaryOperator.identity()));
    }

    @Test
    void badModulesDepNamesFileAndLine(@TempDir Path dir) throws IOException {
        IOException missing = assertThrows(IOException.class, () -> ModuleDatabase.load(dir));
        assertEquals(dir.resolve("modules.dep") + ": missing (run depmod " + dir.getFileName() + ")", missing.getMessage());
        Files.writeString(dir.resolve("modules.dep"), "kernel/a.ko:\nthis is not a dep line\n");
        IOException bad = assertThrows(IOException.class, () -> ModuleDatabase.load(dir));
        assertTrue(bad.getMessage().startsWith(dir.resolve("modules.dep") + ":2: expected"), bad.getMessage());
    }

    @Test
    void linesEndWhereFilesReadAllLinesEndsThem(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("modules.dep"), "kernel/a.ko: kernel/b.ko\r\nkernel/b.ko:\rkernel/c.ko:\n\nkernel/d.ko:");
        Files.writeString(dir.resolve("modules.alias"), "alias fs-a a\nalias\tfs-b  b \n");
        ModuleDatabase db = ModuleDatabase.load(dir);
        assertEquals(List.of("b", "a", "c", "d"), names(db.loadOrder(List.of("a", "c", "d"), m -> {})));
        assertEquals("a", db.find("fs-a").name());
        assertEquals(List.of("alias\tfs-b  b"), db.aliasLines(Set.of("b"), Set.of()));
        Files.writeString(dir.resolve("modules.dep"), "kernel/a.ko:\r\rno dep line\n");
        IOException bad = assertThrows(IOException.class, () -> ModuleDatabase.load(dir));
        assertEquals(dir.resolve("modules.dep") + ":3: expected 'path.ko: dependency.ko ...', got 'no dep line'", bad.getMessage());
    }

    @Test
    void realKernelScsiDiskOrder() throws IOException {
        ModuleDatabase db = ModuleDatabase.load(HOST_KERNEL);
        assertEquals(List.of("scsi_common", "scsi_mod", "sd_mod"), names(db.loadOrder(List.of("sd_mod"), m -> {})));
        assertTrue(db.isBuiltin("nvme-core"));
    }

    @Test
    void modaliasesFindTheirDriversByGlobAsModprobeDoes() throws IOException {
        ModuleDatabase db = ModuleDatabase.load(HOST_KERNEL);
        // QEMU's virtio-blk and virtio-scsi functions, the PIIX3 IDE controller, a SCSI disk and a CD-ROM.
        assertEquals(Set.of("virtio_pci"), db.modulesForModalias("pci:v00001AF4d00001001sv00001AF4sd00000002bc01sc00i00"));
        assertEquals(Set.of("virtio_blk"), db.modulesForModalias("virtio:d00000002v00001AF4"));
        assertEquals(Set.of("virtio_scsi"), db.modulesForModalias("virtio:d00000008v00001AF4"));
        assertEquals(Set.of("ata_piix", "ata_generic"),
                db.modulesForModalias("pci:v00008086d00007010sv00001AF4sd00001100bc01sc01i80"));
        assertEquals(Set.of("sd_mod"), db.modulesForModalias("scsi:t-0x00"));
        assertEquals(Set.of("sr_mod"), db.modulesForModalias("scsi:t-0x05"));
        assertEquals(Set.of(), db.modulesForModalias("pci:v0000FFFFd0000FFFFsv00000000sd00000000bc00sc00i00"));
        assertEquals(Set.of(), db.modulesForModalias("no-bus-at-all"));
        assertTrue(db.isDeviceDriver("sd_mod"));
        assertTrue(db.isDeviceDriver("virtio-pci"));
        assertFalse(db.isDeviceDriver("dm_mod"), "devname:mapper/control is a node, not a device");
        assertFalse(db.isDeviceDriver("isofs"));
        assertFalse(db.isDeviceDriver("libata"), "no aliases at all");
        assertEquals(List.of("softdep libcrc32c pre: crc32c"), db.softdepLines(Set.of("libcrc32c", "sd_mod")));
    }

    @Test
    void modaliasLookupAgreesWithModprobeOnThisMachinesDevices() throws Exception {
        ModuleDatabase db = ModuleDatabase.load(HOST_KERNEL);
        List<String> modaliases = new ArrayList<>(List.of("pci:v00008086d00002922sv00001AF4sd00001100bc01sc06i01",
                "pci:v00001B36d00000010sv00001AF4sd00001100bc01sc08i02", "cpu:type:x86,ven0000fam0006mod003F:feature:,0000,0001,0094",
                "acpi:PNP0A03:", "dmi:bvnSeaBIOS:svnQEMU:pnStandardPC", "usb:v0781p5581d0100dc00dsc00dp00ic08isc06ip50in00"));
        try (var files = Files.walk(Path.of("/sys/devices"))) {
            files.filter(f -> f.getFileName().toString().equals("modalias")).forEach(f -> {
                try {
                    modaliases.add(Files.readString(f).strip());
                } catch (IOException e) {
                    // unreadable attribute: nothing to compare
                }
            });
        }
        for (String modalias : modaliases) {
            Process modprobe = new ProcessBuilder("modprobe", "-S", HOST_KERNEL.getFileName().toString(), "-R", modalias)
                    .redirectErrorStream(true).start();
            // modprobe also names built-in modules (modules.builtin.alias): those need no loading.
            Set<String> expected = new LinkedHashSet<>(modprobe.inputReader().lines().filter(m -> !db.isBuiltin(m)).toList());
            if (modprobe.waitFor() != 0) expected = Set.of();   // "no such module": nothing matches
            assertEquals(expected, db.modulesForModalias(modalias), modalias);
        }
    }
}
