package liftoff.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LdSoConfTest {
    @Test
    void followsIncludesInSortedOrderAndSplitsLikeLdconfig(@TempDir Path etc) throws IOException {
        Path confD = Files.createDirectory(etc.resolve("ld.so.conf.d"));
        Path main = Files.writeString(etc.resolve("ld.so.conf"), """
                # comment
                include ld.so.conf.d/*.conf
                /opt/a:/opt/b, /opt/c   # trailing comment
                hwcap 0 nosegneg
                include ld.so.conf
                """);
        Files.writeString(confD.resolve("b.conf"), "/usr/local/b\n");
        Files.writeString(confD.resolve("a.conf"), "/usr/local/a\n/opt/a\n");
        Files.writeString(confD.resolve("ignored.txt"), "/nope\n");
        assertEquals(List.of(Path.of("/usr/local/a"), Path.of("/opt/a"), Path.of("/usr/local/b"), Path.of("/opt/b"),
                Path.of("/opt/c")), LdSoConf.read(main));
    }

    @Test
    void missingFileListsNothingAndRelativeDirsAreErrors(@TempDir Path etc) throws IOException {
        assertEquals(List.of(), LdSoConf.read(etc.resolve("absent.conf")));
        Path bad = Files.writeString(etc.resolve("bad.conf"), "/ok\nrelative/dir\n");
        IOException e = assertThrows(IOException.class, () -> LdSoConf.read(bad));
        assertEquals(bad + ":2: library directory 'relative/dir' is not absolute", e.getMessage());
    }

    @Test
    void readsThisHostsConfiguration() throws IOException {
        // Debian's libc.conf and x86_64-linux-gnu.conf are part of libc6 and always present.
        List<Path> dirs = LdSoConf.read(Path.of("/etc/ld.so.conf"));
        assertTrue(dirs.contains(Path.of("/usr/local/lib")), dirs.toString());
        assertTrue(dirs.contains(Path.of("/usr/lib/x86_64-linux-gnu")), dirs.toString());
    }
}
