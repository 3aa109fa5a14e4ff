package liftoff.cpio;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import liftoff.sys.Stat;

/** Test helpers: archives built in memory, and every entry of an image read back. */
final class Archives {
    private Archives() {}

    static byte[] name(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static Entry file(String name, int size) {
        return Entry.of(name(name), Stat.S_IFREG | 0644, 0, 0, 1_700_000_000L, size);
    }

    static Entry dir(String name) {
        return Entry.of(name(name), Stat.S_IFDIR | 0755, 0, 0, 1_700_000_000L, 0);
    }

    /** A small archive: a directory, two files (one empty) and a symlink. */
    static byte[] small(Format format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (CpioWriter w = new CpioWriter(out, format)) {
            w.add(dir("etc"));
            w.add(file("etc/hostname", 6), name("liftof"));
            w.add(file("etc/empty", 0));
            w.add(Entry.of(name("etc/link"), Stat.S_IFLNK | 0777, 0, 0, 1_700_000_000L, 8), name("hostname"));
        }
        return out.toByteArray();
    }

    static byte[] compress(byte[] archive, String setting) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream c = Compression.parse(setting).open(out)) {
            c.write(archive);
        }
        return out.toByteArray();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) out.writeBytes(p);
        return out.toByteArray();
    }

    /** An entry and its body as read. */
    record Read(Entry entry, byte[] body) {
        String name() {
            return new String(entry.name(), StandardCharsets.UTF_8);
        }
    }

    static List<Read> readAll(byte[] image) throws IOException {
        return readAll(ImageReader.of(new ByteArrayInputStream(image)));
    }

    static List<Read> readAll(ImageReader r) throws IOException {
        List<Read> all = new ArrayList<>();
        for (Entry e; (e = r.next()) != null; ) {
            InputStream b = r.body();
            all.add(new Read(e, b.readAllBytes()));
        }
        return all;
    }

    static List<String> names(List<Read> reads) {
        return reads.stream().map(Read::name).toList();
    }

    static byte[] repeat(byte[] b, int times) {
        byte[] out = new byte[b.length * times];
        for (int i = 0; i < times; i++) System.arraycopy(b, 0, out, i * b.length, b.length);
        return out;
    }

    static byte[] patch(byte[] b, int at, String text) {
        byte[] c = Arrays.copyOf(b, b.length);
        byte[] t = name(text);
        System.arraycopy(t, 0, c, at, t.length);
        return c;
    }
}
