package liftoff.cpio;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The referee: the host's kernel unpacks an image we wrote, in QEMU. One boot covers every writable
 * compression: an uncompressed crc segment with busybox, /init and a device node, then one segment per
 * compression, each adding a file that /init prints, and one replacing a file of the first segment.
 */
@Tag("qemu")
class KernelBootTest {
    private static final String INIT = """
            #!/bin/busybox sh
            /bin/busybox mount -t proc proc /proc
            cd /seg
            /bin/busybox echo "BOOTED $(/bin/busybox cat gzip zstd xz lz4) $(/bin/busybox cat /marker) $(/bin/busybox cat /hl2) \
            $(/bin/busybox ls -l /dev/console | /bin/busybox cut -c1)"
            /bin/busybox poweroff -f
            """;

    @Test
    void theKernelUnpacksEverySegmentWeWrite(@TempDir Path tmp) throws Exception {
        Path kernel = newest("vmlinuz-*");
        Path init = Files.writeString(tmp.resolve("init"), INIT);
        Path marker = Files.writeString(tmp.resolve("marker"), "first");
        Path spec = Files.writeString(tmp.resolve("spec"), String.join("\n",
                "dir /dev 0755 0 0", "nod /dev/console 0600 0 0 c 5 1", "dir /bin 0755 0 0", "dir /proc 0755 0 0",
                "dir /seg 0755 0 0", "file /bin/busybox /bin/busybox 0755 0 0", "file /init " + init + " 0755 0 0",
                "file /marker " + marker + " 0644 0 0", "file /hl1 " + marker + " 0644 0 0 /hl2", ""));
        Path image = tmp.resolve("image");
        try (OutputStream out = Files.newOutputStream(image)) {
            ArchivePlan first = new ArchivePlan();
            Spec.addSpec(first, spec, 0);
            CpioWriter w = new CpioWriter(out, Format.CRC);
            first.writeTo(w);
            w.finish();
        }
        for (String c : List.of("gzip", "zstd", "xz", "lz4")) {
            ByteArrayOutputStream segment = new ByteArrayOutputStream();
            try (CpioWriter w = new CpioWriter(Compression.parse(c).open(segment), Format.NEWC)) {
                w.add(Archives.file("seg/" + c, 3), (c.substring(0, 2) + ",").getBytes(StandardCharsets.US_ASCII));
                if (c.equals("lz4")) w.add(Archives.file("marker", 4), "last".getBytes(StandardCharsets.US_ASCII));
            }
            Files.write(image, segment.toByteArray(), StandardOpenOption.APPEND);
        }
        Process qemu = new ProcessBuilder("qemu-system-x86_64", "-accel", "tcg", "-m", "512", "-nodefaults",
                "-display", "none", "-no-reboot", "-serial", "stdio", "-kernel", kernel.toString(), "-initrd", image.toString(),
                "-append", "console=ttyS0 rdinit=/init panic=-1 quiet").redirectErrorStream(true).start();
        qemu.getOutputStream().close();
        String console = new String(qemu.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(qemu.waitFor(5, TimeUnit.MINUTES));
        assertFalse(console.contains("Initramfs unpacking failed"), console);
        assertTrue(console.contains("BOOTED gz,zs,xz,lz, last first c"), console);
    }

    private static Path newest(String glob) throws IOException {
        List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(Path.of("/boot"), glob)) {
            s.forEach(found::add);
        }
        assertFalse(found.isEmpty(), "no /boot/" + glob + ": the test script installs a kernel");
        return found.stream().sorted().toList().getLast();
    }
}
