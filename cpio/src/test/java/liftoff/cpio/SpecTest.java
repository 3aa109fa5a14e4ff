package liftoff.cpio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import liftoff.sys.Stat;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpecTest {
    @TempDir
    Path tmp;

    private static final byte[] LATIN1_NAME = {'c', 'a', 'f', (byte) 0xe9};

    /** A gen_init_cpio list with every line type; one name is Latin-1, not UTF-8. */
    private byte[] image() throws IOException {
        Path data = Files.writeString(tmp.resolve("init.sh"), "#!/bin/sh\n");
        String spec = String.join("\n",
                "# comment",
                "dir /dev 0755 0 0",
                "nod /dev/console 0600 0 0 c 5 1",
                "nod /dev/sda 0660 0 6 b 8 0",
                "dir /bin 0755 0 0",
                "file /init " + data + " 0755 0 0 /bin/init /bin/sh",
                "slink /bin/busybox /init 0777 0 0",
                "pipe /dev/initctl 0600 0 0",
                "sock /dev/log 0666 0 0",
                "",
                "file /");
        byte[] specBytes = Archives.concat(spec.getBytes(StandardCharsets.US_ASCII), LATIN1_NAME,
                (" " + data + " 0644 1000 1000\n").getBytes(StandardCharsets.US_ASCII));
        Path specFile = tmp.resolve("list");
        Files.write(specFile, specBytes);
        ArchivePlan plan = new ArchivePlan();
        Spec.addSpec(plan, specFile, 1_700_000_000L);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (CpioWriter w = new CpioWriter(out, Format.NEWC)) {
            plan.writeTo(w);
        }
        return out.toByteArray();
    }

    @Test
    void everyLineTypeBecomesTheRightEntry() throws IOException {
        List<Archives.Read> all = Archives.readAll(image());
        assertEquals(List.of("dev", "dev/console", "dev/sda", "bin", "init", "bin/init", "bin/sh", "bin/busybox",
                "dev/initctl", "dev/log"), Archives.names(all).subList(0, 10));
        Entry console = all.get(1).entry();
        assertEquals(Stat.S_IFCHR | 0600, console.mode());
        assertEquals(5, console.rdevMajor());
        assertEquals(1, console.rdevMinor());
        assertEquals(6, all.get(2).entry().gid());
        // the hard-link group: one inode, nlink 3, the data on the last member only
        Entry init = all.get(4).entry();
        Entry sh = all.get(6).entry();
        assertEquals(init.ino(), sh.ino());
        assertEquals(3, sh.nlink());
        assertEquals(0, init.size());
        assertArrayEquals("#!/bin/sh\n".getBytes(StandardCharsets.US_ASCII), all.get(6).body());
        assertArrayEquals("/init".getBytes(StandardCharsets.US_ASCII), all.get(7).body());
        assertEquals(Stat.S_IFIFO, all.get(8).entry().type());
        assertEquals(Stat.S_IFSOCK, all.get(9).entry().type());
        assertArrayEquals(LATIN1_NAME, all.get(10).entry().name());
        assertEquals(1_700_000_000L, all.get(0).entry().mtime());
    }

    @Test
    void syntaxErrorsNameTheLine() throws IOException {
        Path spec = Files.writeString(tmp.resolve("bad"), "dir /x 0755 0 0\nnod /dev/x 0600 0 0 q 1 1\n");
        IOException e = assertThrows(IOException.class, () -> Spec.addSpec(new ArchivePlan(), spec, 0));
        assertEquals(spec + ":2: device type must be b or c, not q", e.getMessage());
        Files.writeString(spec, "dir /x 0955 0 0\n");
        assertEquals(spec + ":1: mode must be octal 0..7777, not 0955",
                assertThrows(IOException.class, () -> Spec.addSpec(new ArchivePlan(), spec, 0)).getMessage());
    }

    /** Device nodes need root to extract: this test fails, never skips, without it. */
    @Test
    @Tag("root")
    void devicesFifosSocketsAndNonUtf8NamesExtract() throws IOException {
        assertTrue(Privileges.isRoot(), "this test needs root (exclude the \"root\" group otherwise)");
        Path dest = tmp.resolve("dest");
        new Extractor(dest).extract(ImageReader.of(new ByteArrayInputStream(image())));
        assertEquals(Stat.makedev(5, 1), ((Long) Files.getAttribute(dest.resolve("dev/console"), "unix:rdev")));
        assertEquals(Stat.S_IFBLK | 0660, (int) (Integer) Files.getAttribute(dest.resolve("dev/sda"), "unix:mode"));
        assertEquals(6, (int) (Integer) Files.getAttribute(dest.resolve("dev/sda"), "unix:gid"));
        assertTrue(Files.isSymbolicLink(dest.resolve("bin/busybox")));
        assertEquals(Stat.S_IFIFO | 0600, (int) (Integer) Files.getAttribute(dest.resolve("dev/initctl"), "unix:mode", LinkOption.NOFOLLOW_LINKS));
        assertEquals(Stat.S_IFSOCK | 0666, (int) (Integer) Files.getAttribute(dest.resolve("dev/log"), "unix:mode", LinkOption.NOFOLLOW_LINKS));
        assertEquals(3, (int) (Integer) Files.getAttribute(dest.resolve("bin/sh"), "unix:nlink"));
        try (Stream<Path> s = Files.list(dest)) {
            assertTrue(s.anyMatch(p -> java.util.Arrays.equals(FsNames.bytes(p.getFileName()), LATIN1_NAME)));
        }
        assertEquals(1000, (int) (Integer) Files.getAttribute(dest.resolve(FsNames.path(LATIN1_NAME)), "unix:uid"));
    }
}
