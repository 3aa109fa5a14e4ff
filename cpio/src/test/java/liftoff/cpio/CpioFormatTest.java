package liftoff.cpio;

import static liftoff.cpio.Archives.file;
import static liftoff.cpio.Archives.name;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import liftoff.sys.Stat;
import org.junit.jupiter.api.Test;

class CpioFormatTest {

    @Test
    void newcLayoutIsWhatTheKernelReads() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (CpioWriter w = new CpioWriter(out, Format.NEWC)) {
            w.add(file("a", 1), name("x"));
        }
        String s = new String(out.toByteArray(), StandardCharsets.ISO_8859_1);
        // header: magic, ino 1, mode 0100644, uid, gid, nlink 1, mtime, size 1, dev/rdev 0, namesize 2, check 0
        assertEquals("070701" + "00000001" + "000081a4" + "00000000" + "00000000" + "00000001" + "6553f100"
                + "00000001" + "00000000".repeat(4) + "00000002" + "00000000", s.substring(0, 110));
        assertEquals("a\0", s.substring(110, 112));   // 112 is 4-aligned: no name padding
        assertEquals("x\0\0\0", s.substring(112, 116)); // body padded to 4
        assertTrue(s.substring(116).startsWith("070701"));
        assertTrue(s.contains("TRAILER!!!\0"));
        assertEquals(0, out.size() % 4);
    }

    @Test
    void crcChecksumIsWrittenAndVerified() throws IOException {
        byte[] crc = Archives.small(Format.CRC);
        assertEquals("070702", new String(crc, 0, 6, StandardCharsets.US_ASCII));
        List<Archives.Read> all = Archives.readAll(crc);
        assertEquals(List.of("etc", "etc/hostname", "etc/empty", "etc/link"), Archives.names(all));
        // "liftof" sums to 0x284 (644); flip one body byte and the reader must notice
        int body = indexOf(crc, "liftof");
        byte[] bad = Archives.patch(crc, body, "liftog");
        CpioFormatException e = assertThrows(CpioFormatException.class, () -> Archives.readAll(bad));
        assertTrue(e.getMessage().contains("entry \"etc/hostname\": checksum 00000284 does not match the body's 00000285"), e.getMessage());
    }

    @Test
    void odcIsRead() throws IOException, InterruptedException {
        // GNU cpio writes odc with -H odc; the reader must give the same names and bodies.
        byte[] odc = Tools.run(Archives.small(Format.NEWC), "sh", "-c",
                "d=$(mktemp -d) && cd $d && cpio -idm --quiet && find etc | sort | cpio -o -H odc --quiet; rm -rf $d");
        assertEquals("070707", new String(odc, 0, 6, StandardCharsets.US_ASCII));
        List<Archives.Read> all = Archives.readAll(odc);
        assertEquals(List.of("etc", "etc/empty", "etc/hostname", "etc/link"), Archives.names(all));
        assertArrayEquals(name("liftof"), all.get(2).body());
        assertArrayEquals(name("hostname"), all.get(3).body());
    }

    @Test
    void namesAreBytesUpToPathMax() throws IOException {
        byte[] latin1 = {'c', 'a', 'f', (byte) 0xe9};  // "café" in Latin-1: not UTF-8
        byte[] longest = Archives.repeat(name("d/"), (CpioReader.PATH_MAX - 2) / 2);
        longest = Arrays.copyOf(longest, CpioReader.PATH_MAX - 1);
        longest[longest.length - 1] = 'x';
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (CpioWriter w = new CpioWriter(out, Format.NEWC)) {
            w.add(Entry.of(latin1, Stat.S_IFREG | 0600, 0, 0, 0, 0));
            w.add(Entry.of(longest, Stat.S_IFREG | 0600, 0, 0, 0, 0));
        }
        byte[] tooLong = Arrays.copyOf(longest, CpioReader.PATH_MAX);
        try (CpioWriter w = new CpioWriter(new ByteArrayOutputStream(), Format.NEWC)) {
            assertThrows(IllegalArgumentException.class, () -> w.add(Entry.of(tooLong, Stat.S_IFREG | 0600, 0, 0, 0, 0)));
        }
        List<Archives.Read> all = Archives.readAll(out.toByteArray());
        assertArrayEquals(latin1, all.get(0).entry().name());
        assertArrayEquals(longest, all.get(1).entry().name());
        assertEquals("caf\\xe9", Names.printable(latin1));
    }

    @Test
    void unreadBodiesAreSkippedAndBodiesAreBounded() throws IOException {
        CpioReader r = CpioReader.of(new ByteArrayInputStream(Archives.small(Format.NEWC)));
        assertEquals("etc", r.next().nameString());
        assertEquals("etc/hostname", r.next().nameString());
        assertEquals("etc/empty", r.next().nameString());  // body of hostname skipped
        Entry link = r.next();
        assertArrayEquals(name("hostname"), r.body().readAllBytes());
        assertEquals(-1, r.body().read());
        assertTrue(link.isSymlink());
        assertEquals(null, r.next());
        assertEquals(null, r.next());
    }

    static int indexOf(byte[] hay, String needle) {
        byte[] n = name(needle);
        for (int i = 0; i + n.length <= hay.length; i++) if (Arrays.equals(hay, i, i + n.length, n, 0, n.length)) return i;
        throw new AssertionError(needle + " not found");
    }
}
