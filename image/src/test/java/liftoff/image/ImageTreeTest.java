package liftoff.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import liftoff.cpio.ArchivePlan;
import liftoff.cpio.CpioWriter;
import liftoff.cpio.Entry;
import liftoff.cpio.Format;
import liftoff.cpio.ImageReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageTreeTest {
    @Test
    void installMirrorsMergedUsrSymlinksOfThisHost() throws IOException {
        ImageTree tree = new ImageTree();
        // Debian 12 here: /lib64 -> usr/lib64, /usr/lib64/ld-linux-x86-64.so.2 -> /lib/x86_64-linux-gnu/..., /lib -> usr/lib.
        assertEquals("/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2",
                tree.install(Path.of("/lib64/ld-linux-x86-64.so.2"), Part.LIBRARIES));
        assertEquals("""
                slink /lib usr/lib 0777 0 0
                slink /lib64 usr/lib64 0777 0 0
                dir /usr 0755 0 0
                dir /usr/lib 0755 0 0
                dir /usr/lib/x86_64-linux-gnu 0755 0 0
                file /usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2 /usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2 0755 0 0
                dir /usr/lib64 0755 0 0
                slink /usr/lib64/ld-linux-x86-64.so.2 /lib/x86_64-linux-gnu/ld-linux-x86-64.so.2 0777 0 0
                """, Listing.of(tree.entries()));
        // Later names through /lib land at their canonical place: no entry walks through a symlink.
        assertEquals("/usr/lib/modules/6.1/liftoff.load",
                tree.file("/lib/modules/6.1/liftoff.load", Path.of("/etc/hostname"), 0644, Part.MODULES));
    }

    @Test
    void aLibrarySymlinkShipsWithItsTarget() throws IOException {
        ImageTree tree = new ImageTree();
        // Debian 12: libz.so.1 -> libz.so.1.2.13 (relative, same directory).
        tree.install(Path.of("/usr/lib/x86_64-linux-gnu/libz.so.1"), Part.LIBRARIES);
        String spec = Listing.of(tree.entries());
        assertTrue(spec.contains("slink /usr/lib/x86_64-linux-gnu/libz.so.1 libz.so.1.2.13 0777 0 0\n"), spec);
        assertTrue(spec.contains("file /usr/lib/x86_64-linux-gnu/libz.so.1.2.13 /usr/lib/x86_64-linux-gnu/libz.so.1.2.13 "), spec);
    }

    @Test
    void sameEntryTwiceIsHarmlessDifferentEntriesAreAnError(@TempDir Path dir) throws IOException {
        Path a = Files.writeString(dir.resolve("a"), "a");
        Path b = Files.writeString(dir.resolve("b"), "b");
        ImageTree tree = new ImageTree();
        tree.file("/etc/x", a, 0644, Part.EXTRA);
        tree.file("/etc/x", a, 0644, Part.EXTRA);
        IOException twice = assertThrows(IOException.class, () -> tree.file("/etc/x", b, 0644, Part.EXTRA));
        assertEquals("image path /etc/x wanted twice: 'file /etc/x " + a + " 0644 0 0' and 'file /etc/x " + b + " 0644 0 0'",
                twice.getMessage());
        IOException under = assertThrows(IOException.class, () -> tree.file("/etc/x/y", a, 0644, Part.EXTRA));
        assertEquals("image path /etc/x/y: its parent is already file /etc/x " + a + " 0644 0 0", under.getMessage());
    }

    /**
     * The entries reach the cpio writer as values, so names and sources that a gen_init_cpio spec
     * line could not carry (white space, "${", which gen_init_cpio expands) are written as they are.
     */
    @Test
    void namesAndSourcesAreValuesNotSpecText(@TempDir Path dir) throws IOException {
        Path dollar = Files.writeString(dir.resolve("${HOME} notes"), "x");
        ImageTree tree = new ImageTree();
        tree.file("/etc/a dir/${y}", dollar, 0644, Part.EXTRA);
        ArchivePlan archive = new ArchivePlan();
        for (ImageEntry entry : tree.entries()) entry.addTo(archive, 0);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (CpioWriter writer = new CpioWriter(out, Format.NEWC)) {
            archive.writeTo(writer);
        }
        List<String> names = new ArrayList<>();
        try (ImageReader image = ImageReader.of(new ByteArrayInputStream(out.toByteArray()))) {
            for (Entry entry = image.next(); entry != null; entry = image.next()) {
                if (!entry.nameString().equals("TRAILER!!!")) names.add(entry.nameString());
            }
        }
        assertEquals(List.of("etc", "etc/a dir", "etc/a dir/${y}"), names);
    }

    @Test
    void copyKeepsSymlinksAndModesAndSizesAddUpPerPart(@TempDir Path dir) throws IOException {
        Path src = Files.createDirectories(dir.resolve("src/sub"));
        Files.writeString(src.resolve("tool"), "12345");
        Files.setPosixFilePermissions(src.resolve("tool"), PosixFilePermissions.fromString("rwxr-x---"));
        Files.createSymbolicLink(src.resolve("link"), Path.of("tool"));
        ImageTree tree = new ImageTree();
        tree.copy(dir.resolve("src"), "/opt/x", Part.EXTRA);
        tree.node("/dev/console", 0600, 'c', 5, 1);
        assertEquals("""
                dir /dev 0755 0 0
                nod /dev/console 0600 0 0 c 5 1
                dir /opt 0755 0 0
                dir /opt/x 0755 0 0
                dir /opt/x/sub 0755 0 0
                slink /opt/x/sub/link tool 0777 0 0
                file /opt/x/sub/tool %s 0750 0 0
                """.formatted(src.resolve("tool").toRealPath()),
                Listing.of(tree.entries()));
        assertEquals(5L, tree.sizes().get(Part.EXTRA));
        assertEquals(0L, tree.sizes().get(Part.RUNTIME));
    }

    @Test
    void copyKeepsDirectoryModesSoATreeCopiedToTheRootMeetsTheImagesTmp(@TempDir Path dir) throws IOException {
        Path tree = dir.resolve("root");
        Files.createDirectories(tree.resolve("tmp"));
        Files.createDirectories(tree.resolve("root"));
        Files.setAttribute(tree.resolve("tmp"), "unix:mode", 01777);
        Files.setPosixFilePermissions(tree.resolve("root"), PosixFilePermissions.fromString("rwx------"));
        ImageTree image = new ImageTree();
        image.dir("/tmp", 01777);
        image.copy(tree, "/", Part.EXTRA);
        assertEquals("""
                dir /root 0700 0 0
                dir /tmp 1777 0 0
                """, Listing.of(image.entries()));
    }

    @Test
    void symlinkLoopsEndWithAnError(@TempDir Path dir) throws IOException {
        Path real = dir.toRealPath();
        Files.createSymbolicLink(real.resolve("a"), Path.of("b"));
        Files.createSymbolicLink(real.resolve("b"), Path.of("a"));
        IOException e = assertThrows(IOException.class, () -> new ImageTree().install(real.resolve("a/x"), Part.EXTRA));
        assertEquals(real.resolve("a/x") + ": too many levels of symbolic links", e.getMessage());
        ImageTree tree = new ImageTree();
        tree.symlink("/p", "q", Part.EXTRA);
        tree.symlink("/q", "p", Part.EXTRA);
        IOException inImage = assertThrows(IOException.class, () -> tree.dir("/p/x"));
        assertEquals("image path /p/x: too many levels of symbolic links", inImage.getMessage());
    }
}
