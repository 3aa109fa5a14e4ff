package liftoff.cpio;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Writes one newc (or crc) archive, byte-correct for the kernel: 110-byte headers, names with their
 * NUL, name and body padded to 4 bytes, a closing TRAILER!!!. It writes what it is given in order;
 * {@link ArchivePlan} decides order, inode numbers and where hard-link data goes.
 */
public final class CpioWriter implements Closeable {
    private static final int BUFFER = 1 << 20;
    private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final OutputStream out;
    private final Format format;
    private final byte[] buf = new byte[BUFFER];
    private int buffered;
    private long written;
    private long nextIno = 1;
    private boolean finished;

    public CpioWriter(OutputStream out, Format format) {
        if (format == Format.ODC) throw new IllegalArgumentException("odc is read-only; write newc or crc");
        this.out = out;
        this.format = format;
    }

    /** An entry without a body: directory, device node, FIFO, socket, or an empty file. */
    public void add(Entry e) throws IOException {
        if (e.size() != 0) throw new IllegalArgumentException("entry " + e.nameString() + " has a body");
        header(numbered(e), 0);
    }

    /** An entry whose body is in memory: a symlink's target, or small file data. */
    public void add(Entry e, byte[] body) throws IOException {
        if (e.size() != body.length) throw new IllegalArgumentException("size of " + e.nameString() + " is not the body's");
        header(numbered(e), format == Format.CRC ? Checksum.of(body, 0, body.length, 0) : 0);
        put(body, 0, body.length);
        pad();
    }

    /** A regular file whose data is read from {@code source}; exactly {@code e.size()} bytes are copied. */
    public void add(Entry e, Path source) throws IOException {
        try (FileChannel ch = FileChannel.open(source, StandardOpenOption.READ)) {
            header(numbered(e), format == Format.CRC ? checksum(ch, e) : 0);
            long left = e.size();
            while (left > 0) {
                if (buffered == buf.length) drain();
                int n = ch.read(ByteBuffer.wrap(buf, buffered, (int) Math.min(buf.length - buffered, left)));
                if (n < 0) throw new IOException(source + ": file shrank while being archived");
                buffered += n;
                written += n;
                left -= n;
            }
        }
        pad();
    }

    private long checksum(FileChannel ch, Entry e) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(BUFFER);
        long sum = 0;
        for (long left = e.size(); left > 0; ) {
            b.clear().limit((int) Math.min(b.capacity(), left));
            int n = ch.read(b);
            if (n < 0) throw new IOException(e.nameString() + ": file shrank while being archived");
            sum = Checksum.of(b.array(), 0, n, sum);
            left -= n;
        }
        ch.position(0);
        return sum;
    }

    /** Ends the archive with TRAILER!!! and flushes; the stream stays open for another segment. */
    public void finish() throws IOException {
        if (finished) return;
        header(new Entry(Entry.TRAILER, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0), 0);
        drain();
        out.flush();
        finished = true;
    }

    @Override
    public void close() throws IOException {
        try (out) {
            finish();
        }
    }

    /** Entries without an inode number get the next one, so unrelated entries never look like links. */
    private Entry numbered(Entry e) {
        if (e.ino() != 0) return e;
        return new Entry(e.name(), nextIno++, e.mode(), e.uid(), e.gid(), e.nlink(), e.mtime(), e.size(),
                e.devMajor(), e.devMinor(), e.rdevMajor(), e.rdevMinor());
    }

    private void header(Entry e, long check) throws IOException {
        if (finished) throw new IllegalStateException("archive already finished");
        if (e.name().length + 1 > CpioReader.PATH_MAX) {
            throw new IllegalArgumentException("name of " + e.name().length + " bytes is longer than the kernel's PATH_MAX: " + e.nameString());
        }
        if (buf.length - buffered < format.headerSize()) drain();
        System.arraycopy(format.magic(), 0, buf, buffered, 6);
        int p = buffered + 6;
        long[] fields = {e.ino(), e.mode(), e.uid(), e.gid(), e.nlink(), e.mtime(), e.size(), e.devMajor(),
            e.devMinor(), e.rdevMajor(), e.rdevMinor(), e.name().length + 1, check};
        for (long v : fields) {
            if (v < 0 || v > 0xffffffffL) {
                throw new IllegalArgumentException("entry " + e.nameString() + ": header field " + v + " does not fit newc");
            }
            for (int shift = 28; shift >= 0; shift -= 4) buf[p++] = HEX[(int) (v >>> shift) & 0xf];
        }
        buffered = p;
        written += format.headerSize();
        put(e.name(), 0, e.name().length);
        put(new byte[] {0}, 0, 1);
        pad();
    }

    private void put(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            if (buffered == buf.length) drain();
            int n = Math.min(len, buf.length - buffered);
            System.arraycopy(b, off, buf, buffered, n);
            buffered += n;
            written += n;
            off += n;
            len -= n;
        }
    }

    private void pad() throws IOException {
        int n = (int) (-written & 3);
        if (n > 0) put(new byte[n], 0, n);
    }

    private void drain() throws IOException {
        out.write(buf, 0, buffered);
        buffered = 0;
    }
}
