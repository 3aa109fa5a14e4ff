package liftoff.cpio;

import static liftoff.cpio.Archives.name;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import liftoff.sys.Stat;
import org.junit.jupiter.api.Test;

/** Every kind of broken input ends in one CpioFormatException whose message names the offset and, when known, the entry. */
class MalformedInputTest {
    private final byte[] good;

    MalformedInputTest() throws IOException {
        good = Archives.small(Format.NEWC);
    }

    private static String error(byte[] image) {
        return assertThrows(CpioFormatException.class, () -> Archives.readAll(image)).getMessage();
    }

    @Test
    void truncatedArchives() {
        assertEquals("offset 0: truncated header", error(Arrays.copyOf(good, 50)));
        assertEquals("offset 116, entry \"etc/hostname\": file size 6 runs past end of input", error(Arrays.copyOf(good, 240)));
        assertEquals("offset 116: name runs past end of input", error(Arrays.copyOf(good, 116 + 115)));
    }

    @Test
    void badMagic() {
        assertEquals("offset 0: neither a cpio archive nor a known compression", error(Archives.patch(good, 0, "X70701")));
        assertEquals("offset 116: bad magic 070708 (not a cpio header)", error(Archives.patch(good, 116, "070708")));
    }

    @Test
    void nonHexField() {
        assertEquals("offset 116: non-hex header field filesize", error(Archives.patch(good, 116 + 6 + 6 * 8, "0000000g")));
    }

    @Test
    void nameWithoutItsNul() {
        // namesize one short: the byte before where the NUL should be is the name's last character
        byte[] b = Archives.patch(good, 116 + 6 + 11 * 8, "0000000c");
        assertEquals("offset 116, entry \"etc/hostnam\": name without its NUL", error(b));
    }

    @Test
    void sizeBeyondEndOfInput() {
        byte[] b = Archives.patch(good, 116 + 6 + 6 * 8, "00001000");
        assertEquals("offset 116, entry \"etc/hostname\": file size 4096 runs past end of input", error(b));
    }

    @Test
    void missingTrailer() throws IOException {
        int trailer = CpioFormatTest.indexOf(good, "TRAILER!!!") - 110;
        assertEquals("offset " + trailer + ": archive ends without TRAILER!!!", error(Arrays.copyOf(good, trailer)));
        // but the padding after the trailer's name may be missing at the very end
        assertEquals(4, Archives.readAll(Arrays.copyOf(good, trailer + 110 + 11)).size());
        assertEquals("offset " + trailer + ": name runs past end of input", error(Arrays.copyOf(good, trailer + 110 + 10)));
    }

    @Test
    void corruptCompressedStreams() throws IOException {
        byte[] zstd = Archives.compress(good, "zstd");
        zstd[zstd.length / 2] ^= 0x55;
        assertStartsWith("zstd segment at ", error(zstd));  // caught by the decoder or by the header check after it
        byte[] gzip = Archives.compress(good, "gzip");
        gzip[gzip.length - 4] ^= 1;  // the stored size (ISIZE): the trailer check must fail
        assertEquals("gzip segment at offset 0: corrupt compressed data: gzip size mismatch", error(gzip));
        byte[] xz = Archives.compress(good, "xz");
        assertStartsWith("xz segment at offset 0: corrupt compressed data", error(Arrays.copyOf(xz, xz.length - 20)));
    }

    private static void assertStartsWith(String prefix, String message) {
        assertTrue(message.startsWith(prefix), message);
    }

    @Test
    void hostileHeaders() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (CpioWriter w = new CpioWriter(out, Format.NEWC)) {
            w.add(Entry.of(name("a/b"), Stat.S_IFREG | 0644, 0, 0, 0, 0));
        }
        byte[] ok = out.toByteArray();
        // a NUL inside the name, a name longer than PATH_MAX, a file type that does not exist, a directory with a body
        assertEquals("offset 0, entry \"a\\x00b\": NUL inside name", error(Archives.patch(ok, 110 + 1, "\0")));
        assertEquals("offset 0: name of 65536 bytes exceeds PATH_MAX", error(Archives.patch(ok, 6 + 11 * 8, "00010000")));
        assertEquals("offset 0, entry \"a/b\": unknown file type in mode 330644", error(Archives.patch(ok, 6 + 8, "0001b1a4")));
        assertEquals("offset 0, entry \"a/b\": a directory with a body of 1 bytes",
                error(Archives.patch(Archives.patch(ok, 6 + 8, "000041ed"), 6 + 6 * 8, "00000001")));
    }
}
