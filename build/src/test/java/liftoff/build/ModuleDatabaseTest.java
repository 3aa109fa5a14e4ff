package liftoff.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModuleDatabaseTest {
    static final Path FIXTURES = Path.of("src/test/resources/modules");
    static final Path FIXTURE = FIXTURES.resolve("6.2.0-fixture");
    static final Path HOST_KERNEL = Path.of("/lib/modules/6.1.0-56-cloud-amd64");

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
    void aCycleInAHandMadeFileEndsAndTheOrderIsStable() throws IOException {
        ModuleDatabase db = ModuleDatabase.load(FIXTURE);
        assertEquals(List.of("b", "a"), names(db.loadOrder(List.of("a"), m -> {})));
        assertEquals(List.of("a", "b"), names(db.loadOrder(List.of("b"), m -> {})));
    }

    @Test
    void filteredIndexLinesKeepOnlyShippedModules() throws IOException {
        ModuleDatabase db = ModuleDatabase.load(FIXTURE);
        assertEquals(List.of("alias virtio:d00000002v* virtio_blk"), db.aliasLines(Set.of("virtio_blk")));
        assertEquals(List.of("kernel/drivers/block/virtio-blk.ko: kernel/drivers/virtio/virtio.ko kernel/drivers/virtio/virtio_ring.ko",
                "kernel/drivers/virtio/virtio_ring.ko:"), db.depLines(Set.of("virtio_ring", "virtio_blk")));
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
    void realKernelScsiDiskOrder() throws IOException {
        ModuleDatabase db = ModuleDatabase.load(HOST_KERNEL);
        assertEquals(List.of("scsi_common", "scsi_mod", "sd_mod"), names(db.loadOrder(List.of("sd_mod"), m -> {})));
        assertTrue(db.isBuiltin("nvme-core"));
    }
}
