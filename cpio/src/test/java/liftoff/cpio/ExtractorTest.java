package liftoff.cpio;

import static liftoff.cpio.Archives.name;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import liftoff.sys.Fnmatch;
import liftoff.sys.Stat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExtractorTest {
    @TempDir
    Path tmp;

    static byte[] archiveOf(Path tree, String compression) throws IOException {
        ArchivePlan plan = new ArchivePlan();
        TreeSource.addTree(plan, tree);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (CpioWriter w = new CpioWriter(Compression.parse(compression).open(out), Format.NEWC)) {
            plan.writeTo(w);
        }
        return out.toByteArray();
    }

    private List<String> extract(byte[] image, Path dest) throws IOException {
        List<String> warnings = new ArrayList<>();
        new Extractor(dest).warnings(warnings::add).extract(ImageReader.of(new ByteArrayInputStream(image)));
        return warnings;
    }

    @Test
    void roundTripKeepsEverything() throws Exception {
        Path src = tmp.resolve("src");
        Trees.sample(src);
        Path dest = tmp.resolve("dest");
        byte[] image = archiveOf(src, "zstd");
        assertEquals(List.of(), extract(image, dest));
        assertEquals(Trees.describe(src, true), Trees.describe(dest, true));
        byte[] latin1 = Archives.concat(name("etc/"), Trees.LATIN1);
        assertTrue(Archives.readAll(image).stream().anyMatch(r -> java.util.Arrays.equals(r.entry().name(), latin1)));
        try (Stream<Path> s = Files.list(dest.resolve("etc"))) {
            assertTrue(s.anyMatch(p -> java.util.Arrays.equals(FsNames.bytes(p.getFileName()), Trees.LATIN1)));
        }
    }

    @Test
    void gnuCpioAndBsdcpioUnpackOurImagesIdentically() throws Exception {
        Path src = tmp.resolve("src");
        Trees.sample(src);
        byte[] image = archiveOf(src, "none");
        Map<String, String> expected = Trees.describe(src, false);
        for (String tool : List.of("cpio", "bsdcpio")) {
            Path dest = Files.createDirectories(tmp.resolve(tool));
            Process p = new ProcessBuilder(tool, "-idm", "--quiet").directory(dest.toFile())
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            try (var in = p.getOutputStream()) {
                in.write(image);
            }
            assertEquals(0, p.waitFor(), tool);
            assertEquals(expected, Trees.describe(dest, false), tool);
        }
    }

    @Test
    void namesThatWouldEscapeAreRefusedAndNothingLandsOutside() throws IOException {
        for (String hostile : List.of("../escape", "/abs/escape", "a/../../escape", "./../escape")) {
            byte[] image = single(Entry.of(name(hostile), Stat.S_IFREG | 0644, 0, 0, 0, 1), name("x"));
            Path dest = tmp.resolve("d");
            CpioFormatException e = assertThrows(CpioFormatException.class, () -> extract(image, dest));
            assertTrue(e.getMessage().contains("refused"), e.getMessage());
            assertFalse(Files.exists(tmp.resolve("escape")));
        }
    }

    @Test
    void neverWritesThroughASymlinkFromTheArchive() throws IOException {
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (CpioWriter w = new CpioWriter(out, Format.NEWC)) {
            byte[] target = name(outside.toString());
            w.add(Entry.of(name("evil"), Stat.S_IFLNK | 0777, 0, 0, 0, target.length), target);
            w.add(Archives.file("evil/payload", 1), name("x"));
        }
        Path dest = tmp.resolve("dest");
        FileSystemException e = assertThrows(FileSystemException.class, () -> extract(out.toByteArray(), dest));
        assertEquals(dest.resolve("evil/payload") + ": parent evil is a symlink; refusing to follow it", e.getMessage());
        try (Stream<Path> s = Files.list(outside)) {
            assertEquals(0, s.count());
        }
    }

    @Test
    void aLaterEntryReplacesAnEarlierOneInsteadOfFollowingIt() throws IOException {
        Path victim = Files.writeString(tmp.resolve("victim"), "safe");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (CpioWriter w = new CpioWriter(out, Format.NEWC)) {
            byte[] target = name(victim.toString());
            w.add(Entry.of(name("f"), Stat.S_IFLNK | 0777, 0, 0, 0, target.length), target);
            w.add(Archives.file("f", 3), name("new"));
            w.add(Archives.file("g", 3), name("old"));
            w.add(Archives.dir("g"));
            w.add(Archives.dir("h"));
            w.add(Archives.file("h", 4), name("file"));
        }
        Path dest = tmp.resolve("dest");
        extract(out.toByteArray(), dest);
        assertEquals("safe", Files.readString(victim));
        assertEquals("new", Files.readString(dest.resolve("f")));
        assertTrue(Files.isDirectory(dest.resolve("g"), LinkOption.NOFOLLOW_LINKS));
        assertEquals("file", Files.readString(dest.resolve("h")));
    }

    @Test
    void aFailedEntryLeavesNoPartialFile() throws IOException {
        byte[] image = single(Archives.file("big", 100_000), new byte[100_000]);
        byte[] truncated = java.util.Arrays.copyOf(image, 50_000);
        Path dest = tmp.resolve("dest");
        CpioFormatException e = assertThrows(CpioFormatException.class, () -> extract(truncated, dest));
        assertEquals("offset 0, entry \"big\": file size 100000 runs past end of input", e.getMessage());
        try (Stream<Path> s = Files.list(dest)) {
            assertEquals(List.of(), s.toList());
        }
    }

    @Test
    void hardLinkDataOnTheLastMemberAndLinksForgottenAtTrailer() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (CpioWriter w = new CpioWriter(out, Format.NEWC)) {
            w.add(new Entry(name("a"), 7, Stat.S_IFREG | 0644, 0, 0, 3, 0, 0, 0, 0, 0, 0));
            w.add(new Entry(name("b"), 7, Stat.S_IFREG | 0644, 0, 0, 3, 0, 0, 0, 0, 0, 0));
            w.add(new Entry(name("c"), 7, Stat.S_IFREG | 0644, 0, 0, 3, 0, 4, 0, 0, 0, 0), name("data"));
        }
        byte[] first = out.toByteArray();
        out.reset();
        try (CpioWriter w = new CpioWriter(out, Format.NEWC)) {  // same ino in a later archive: a different file
            w.add(new Entry(name("d"), 7, Stat.S_IFREG | 0644, 0, 0, 2, 0, 5, 0, 0, 0, 0), name("other"));
        }
        Path dest = tmp.resolve("dest");
        extract(Archives.concat(first, out.toByteArray()), dest);
        Object key = Files.getAttribute(dest.resolve("a"), "unix:ino");
        for (String n : List.of("a", "b", "c")) {
            assertEquals("data", Files.readString(dest.resolve(n)));
            assertEquals(key, Files.getAttribute(dest.resolve(n), "unix:ino"));
        }
        assertEquals("other", Files.readString(dest.resolve("d")));
        assertEquals(3, Files.getAttribute(dest.resolve("a"), "unix:nlink"));
    }

    @Test
    void patternsSelectLikeCpio() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (CpioWriter w = new CpioWriter(out, Format.NEWC)) {
            w.add(Archives.file("usr/lib/x.so", 1), name("x"));
            w.add(Archives.file("etc/conf", 1), name("c"));
        }
        Path dest = tmp.resolve("dest");
        byte[] pattern = name("usr/*");
        new Extractor(dest).filter(name -> Fnmatch.matches(pattern, name)).extract(ImageReader.of(new ByteArrayInputStream(out.toByteArray())));
        assertTrue(Files.exists(dest.resolve("usr/lib/x.so")));
        assertFalse(Files.exists(dest.resolve("etc")));
    }

    /** On tmpfs: this measures the extractor, not a disk shared with other jobs. */
    @Test
    void twentyThousandSmallFiles(@TempDir(factory = Shm.class) Path shm) throws IOException {
        Path src = shm.resolve("src");
        for (int d = 0; d < 100; d++) {
            Path dir = Files.createDirectories(src.resolve("d" + d));
            for (int f = 0; f < 200; f++) Files.writeString(dir.resolve("f" + f), d + "/" + f);
        }
        Path dest = shm.resolve("dest");
        extract(archiveOf(src, "none"), dest);
        assertEquals(Trees.describe(src, true), Trees.describe(dest, true));
    }

    /** Temporary directories in /dev/shm (tmpfs). */
    static final class Shm implements org.junit.jupiter.api.io.TempDirFactory {
        @Override
        public Path createTempDirectory(org.junit.jupiter.api.extension.AnnotatedElementContext element,
                                        org.junit.jupiter.api.extension.ExtensionContext context) throws IOException {
            return Files.createTempDirectory(Path.of("/dev/shm"), "liftoff-cpio-test");
        }
    }

    /** 1 GiB, mostly holes: streamed through zstd both ways, and still sparse after extraction. */
    @Test
    void oneGibSparseFileStreams() throws IOException {
        Path src = Files.createDirectories(tmp.resolve("src"));
        Path big = src.resolve("sparse");
        try (var ch = java.nio.channels.FileChannel.open(big, java.nio.file.StandardOpenOption.CREATE_NEW,
                java.nio.file.StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(name("middle")), 512L << 20);
            ch.write(java.nio.ByteBuffer.wrap(name("end")), (1L << 30) - 3);
        }
        byte[] image = archiveOf(src, "zstd:1");
        assertTrue(image.length < 1 << 20, "compressed image of " + image.length + " bytes");
        Path dest = tmp.resolve("dest");
        extract(image, dest);
        Path out = dest.resolve("sparse");
        assertEquals(1L << 30, Files.size(out));
        try (var ch = java.nio.channels.FileChannel.open(out)) {
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(6);
            ch.read(b, 512L << 20);
            assertEquals("middle", new String(b.array()));
        }
        long blocks = (Long) Files.getAttribute(out, "unix:size") / 512;  // apparent size in sectors
        assertTrue(allocatedBytes(out) < (64L << 20), "extracted file is not sparse: " + blocks);
    }

    private static long allocatedBytes(Path p) throws IOException {
        try {
            Process du = new ProcessBuilder("du", "-B1", p.toString()).start();
            String s = new String(du.getInputStream().readAllBytes()).split("\\s")[0];
            du.waitFor();
            return Long.parseLong(s);
        } catch (InterruptedException e) {
            throw new IOException(e);
        }
    }

    private static byte[] single(Entry e, byte[] body) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (CpioWriter w = new CpioWriter(out, Format.NEWC)) {
            w.add(e, body);
        }
        return out.toByteArray();
    }
}
