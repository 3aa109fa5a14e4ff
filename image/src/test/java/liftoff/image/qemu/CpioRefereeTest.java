package liftoff.image.qemu;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import liftoff.cpio.ArchivePlan;
import liftoff.cpio.Compression;
import liftoff.cpio.CpioWriter;
import liftoff.cpio.Entry;
import liftoff.cpio.Format;
import liftoff.cpio.Spec;
import liftoff.cpio.TreeSource;
import liftoff.sys.Stat;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The kernel as referee: an image written by liftoff's cpio writer, in each compression the
 * writer offers, is unpacked by a real kernel, whose busybox /init checks the tree.
 */
@Tag("qemu")
class CpioRefereeTest {
    @TempDir
    static Path work;
    static Path tree;
    static Path spec;

    @BeforeAll
    static void stageTheTree() throws Exception {
        tree = Files.createDirectories(work.resolve("tree"));
        Files.createDirectories(tree.resolve("bin"));
        Files.copy(HostTools.require("busybox", "busybox-static"), tree.resolve("bin/busybox"));
        Files.createSymbolicLink(tree.resolve("bin/sh"), Path.of("busybox"));
        for (String dir : new String[] {"dev", "proc", "sys", "data/deep/a/b/c/d/e/f/g/h/i/j"}) Files.createDirectories(tree.resolve(dir));
        try (InputStream init = CpioRefereeTest.class.getResourceAsStream("referee-init.sh")) {
            Files.copy(init, tree.resolve("init"));
        }
        Files.setPosixFilePermissions(tree.resolve("init"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Path data = tree.resolve("data");
        Files.writeString(data.resolve("hello.txt"), "hello from liftoff cpio");
        Files.createFile(data.resolve("empty"));
        Files.createSymbolicLink(data.resolve("link"), Path.of("hello.txt"));
        Files.writeString(data.resolve("hard-a"), "linked");
        Files.createLink(data.resolve("hard-b"), data.resolve("hard-a"));
        Files.createDirectory(data.resolve("private"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Files.writeString(data.resolve("deep/a/b/c/d/e/f/g/h/i/j/leaf"), "");
        Files.writeString(data.resolve("replaced"), "first");
        // Nodes come from a gen_init_cpio spec, as an image builder without privileges makes them.
        spec = Files.writeString(work.resolve("nodes.spec"), "nod /data/null 0666 0 0 c 1 3\npipe /data/fifo 0600 0 0\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {"none", "gzip", "zstd", "xz", "lz4"})
    void theKernelUnpacksWhatLiftoffWrote(String compression) throws Exception {
        Path image = work.resolve("referee-" + compression + ".img");
        try (OutputStream out = Files.newOutputStream(image)) {
            writeTree(out, compression, Format.NEWC);
        }
        assertTreeOk(image, compression);
    }

    /**
     * The layout of real images: an uncompressed segment (here in the crc format) followed by
     * compressed ones, each adding a file, the last also replacing a file of the first segment.
     */
    @Test
    void theKernelUnpacksConcatenatedSegmentsInOrder() throws Exception {
        Path image = work.resolve("referee-segments.img");
        try (OutputStream out = Files.newOutputStream(image)) {
            writeTree(out, "none", Format.CRC);
            for (String c : new String[] {"gzip", "zstd", "xz", "lz4"}) {
                try (CpioWriter w = new CpioWriter(Compression.parse(c).openSegment(out), Format.NEWC)) {
                    w.add(Entry.of("seg".getBytes(US_ASCII), Stat.S_IFDIR | 0755, 0, 0, 0, 0));
                    byte[] body = c.substring(0, 2).getBytes(US_ASCII);
                    w.add(Entry.of(("seg/" + c).getBytes(US_ASCII), Stat.S_IFREG | 0644, 0, 0, 0, body.length), body);
                    if (c.equals("lz4")) {
                        byte[] last = "last".getBytes(US_ASCII);
                        w.add(Entry.of("data/replaced".getBytes(US_ASCII), Stat.S_IFREG | 0644, 0, 0, 0, last.length), last);
                    }
                }
            }
        }
        assertTreeOk(image, "crc + gzip + zstd + xz + lz4");
    }

    private static void writeTree(OutputStream out, String compression, Format format) throws Exception {
        ArchivePlan plan = new ArchivePlan().owner(0, 0);
        TreeSource.addTree(plan, tree);
        Spec.addSpec(plan, spec, 0);
        try (CpioWriter writer = new CpioWriter(Compression.parse(compression).openSegment(out), format)) {
            plan.writeTo(writer);
        }
    }

    private static void assertTreeOk(Path image, String what) throws Exception {
        QemuExit exit = TestBoot.qemu(image, "rdinit=/init").timeout(Duration.ofMinutes(3)).run();
        assertFalse(exit.timedOut(), exit.console());
        assertFalse(exit.console().contains("Initramfs unpacking failed"), exit.console());
        assertTrue(exit.console().contains("TREE-OK"), what + ":\n" + exit.console());
    }
}
