package liftoff.init.modules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which module a filesystem type needs, from the image's modules.alias, and FAT's nls tables. */
class FilesystemModulesTest {
    @TempDir
    Path dir;

    @Test
    void filesystemAliasesComeFromModulesAlias() throws IOException {
        // ModuleLoader.moduleFor asks the image's module database, as the kernel's modprobe would.
        Files.writeString(dir.resolve("modules.dep"), """
                kernel/fs/squashfs/squashfs.ko:
                kernel/fs/overlayfs/overlay.ko:
                """);
        Path alias = Files.writeString(dir.resolve("modules.alias"), """
                # Aliases extracted from modules themselves.
                alias fs-squashfs squashfs
                alias fs-overlay overlay
                alias pci:v00001AF4d00001042sv*sd*bc*sc*i* virtio_blk
                """);
        assertEquals("overlay", ModuleDatabase.load(dir).find("fs-overlay").name());
        assertNull(ModuleDatabase.load(dir).find("fs-erofs"));
        Files.delete(alias);
        assertNull(ModuleDatabase.load(dir).find("fs-erofs"));
        assertTrue(FilesystemModules.registered("proc"), "the host's /proc/filesystems lists proc");
        assertEquals(false, FilesystemModules.registered("no-such-fs"));
        assertEquals(List.of("nls_cp437", "nls_ascii"), FilesystemModules.fatTables(null));
        assertEquals(List.of("nls_cp850", "nls_iso8859_1"), FilesystemModules.fatTables("shortname=mixed,codepage=850,iocharset=iso8859-1"));
    }
}
