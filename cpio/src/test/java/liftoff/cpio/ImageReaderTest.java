package liftoff.cpio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ImageReaderTest {
    private static final List<String> SMALL = List.of("etc", "etc/hostname", "etc/empty", "etc/link");

    @ParameterizedTest
    @ValueSource(strings = {"none", "gzip", "gzip:1", "zstd", "zstd:19", "xz", "xz:0", "lz4"})
    void everyWritableCompressionRoundTrips(String setting) throws IOException {
        byte[] image = Archives.compress(Archives.small(Format.NEWC), setting);
        ImageReader r = ImageReader.of(new ByteArrayInputStream(image));
        assertEquals(SMALL, Archives.names(Archives.readAll(r)));
        Segment s = r.segments().getFirst();
        assertEquals(Compression.parse(setting).compression(), s.compression());
        assertEquals(image.length, s.compressedSize());
        assertEquals(4, s.entries());
    }

    /** The reference tools decode what we write: zstd, xz (CRC32 check, as the kernel wants), lz4 -l, gzip. */
    @ParameterizedTest
    @ValueSource(strings = {"gzip:gzip -dc", "zstd:zstd -dc", "xz:xz -dc", "lz4:lz4 -dc"})
    void referenceDecodersAgree(String pair) throws Exception {
        String[] p = pair.split(":", 2);
        byte[] archive = Archives.small(Format.NEWC);
        byte[] image = Archives.compress(archive, p[0]);
        assertArrayEquals(archive, Tools.run(image, "sh", "-c", p[1]));
        if (p[0].equals("xz")) {
            String info = new String(Tools.run(image, "sh", "-c", "f=$(mktemp) && cat >$f && xz -lvv $f; rc=$?; rm -f $f; exit $rc"), java.nio.charset.StandardCharsets.UTF_8);
            assertTrue(info.contains("CRC32"), info);
        }
    }

    /**
     * The Debian/Fedora layout and worse: segments of every kind, NUL runs between them, two archives in
     * one stream. An lz4 legacy stream has no end marker (the kernel reads it to the end of the image), so
     * it is followed by NULs or nothing.
     */
    @Test
    void concatenatedSegmentsWithPadding(@TempDir Path tmp) throws Exception {
        byte[] plain = Archives.small(Format.NEWC);
        byte[] twoArchives = Archives.concat(plain, new byte[8], plain);
        byte[] bzip2 = Tools.run(plain, "bzip2", "-c");
        byte[] lzma = Tools.run(plain, "xz", "--format=lzma", "-c");
        List<byte[]> parts = List.of(plain, new byte[12], Archives.compress(twoArchives, "zstd"), new byte[3],
                Archives.compress(plain, "gzip"), Archives.compress(plain, "xz"), new byte[4],
                Archives.compress(plain, "lz4"), new byte[4], bzip2, lzma, new byte[1],
                Tools.run(plain, "zstd", "-c"), Tools.run(plain, "gzip", "-c"), Tools.run(plain, "lzop", "-c"), new byte[8],
                Tools.run(plain, "lz4", "-l", "-c"));
        byte[] image = Archives.concat(parts.toArray(byte[][]::new));
        Path file = tmp.resolve("image");
        Files.write(file, image);
        try (ImageReader r = ImageReader.open(file)) {
            List<Archives.Read> all = Archives.readAll(r);
            assertEquals(12 * 4, all.size());  // 11 segments, one holding two archives
            List<Compression> kinds = new ArrayList<>();
            for (Segment s : r.segments()) kinds.add(s.compression());
            assertEquals(List.of(Compression.NONE, Compression.ZSTD, Compression.GZIP, Compression.XZ, Compression.LZ4,
                    Compression.BZIP2, Compression.LZMA, Compression.ZSTD, Compression.GZIP, Compression.LZO, Compression.LZ4), kinds);
            assertEquals(8, r.segments().get(1).entries());
            assertEquals(plain.length + 12, r.segments().get(0).compressedSize());
            assertEquals(plain.length + 12, r.segments().get(1).offset());
        }
    }

    @Test
    void junkAfterAnArchiveInsideACompressedStreamIsAnError() throws IOException {
        byte[] image = Archives.compress(Archives.concat(Archives.small(Format.NEWC), "junk".getBytes()), "gzip");
        CpioFormatException e = assertThrows(CpioFormatException.class, () -> Archives.readAll(image));
        assertTrue(e.getMessage().startsWith("gzip segment at 0, unpacked offset"), e.getMessage());
    }

    /** NULs between and after segments are padding; an input with nothing but them holds no image at all. */
    @Test
    void anInputWithoutASegmentIsAnError() throws IOException {
        assertEquals("no cpio archive in it (empty)",
                assertThrows(CpioFormatException.class, () -> Archives.readAll(new byte[0])).getMessage());
        assertEquals("no cpio archive in it (only 512 zero bytes)",
                assertThrows(CpioFormatException.class, () -> Archives.readAll(new byte[512])).getMessage());
        byte[] padded = Archives.concat(Archives.small(Format.NEWC), new byte[512]);
        assertEquals(SMALL, Archives.names(Archives.readAll(padded)));
        // A compressed segment holding only NULs is a segment all the same, as the kernel sees it.
        assertEquals(List.of(), Archives.names(Archives.readAll(Archives.compress(new byte[512], "gzip"))));
    }

    @Test
    void readsLevelsAndParsesSettings() {
        assertEquals(new Compression.Setting(Compression.ZSTD, 19), Compression.parse("zstd:19"));
        assertEquals(new Compression.Setting(Compression.GZIP, 6), Compression.parse("gzip"));
        assertEquals("zstd:3", Compression.parse("zstd").toString());
        assertEquals("lz4", Compression.parse("lz4").toString());
        assertThrows(IllegalArgumentException.class, () -> Compression.parse("zstd:23"));
        assertThrows(IllegalArgumentException.class, () -> Compression.parse("bzip2"));
        assertThrows(IllegalArgumentException.class, () -> Compression.parse("lz4:9"));
        assertThrows(IllegalArgumentException.class, () -> Compression.parse("brotli"));
    }
}
