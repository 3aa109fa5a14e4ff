package liftoff.cpio;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import liftoff.sys.Stat;

/**
 * Streams the entries of one cpio archive, the way the kernel's init/initramfs.c does: an explicit
 * state machine (header, name, body, padding, next header), nothing held but the current header.
 * Every malformed input ends in a {@link CpioFormatException} naming the offset and entry.
 */
public final class CpioReader {
    /** The kernel's PATH_MAX, which bounds names (with their NUL) and symlink targets. */
    public static final int PATH_MAX = 4096;

    private enum State { HEADER, BODY, END }

    private final ImageInput in;
    private final String where;
    private final long archiveStart;
    private final byte[] header = new byte[110];
    private State state = State.HEADER;
    private Format format;
    private Entry current;
    private long bodyLeft;
    private long bodySum;
    private long expectedSum;
    private long entryOffset;

    /** @param where how offsets are named in errors, e.g. "offset" or "gzip segment at 512, unpacked offset" */
    CpioReader(ImageInput in, String where) {
        this.in = in;
        this.where = where;
        this.archiveStart = in.position();
    }

    /** Reads a single archive from a stream (not an image: no decompression, no concatenation). */
    public static CpioReader of(InputStream in) {
        return new CpioReader(new ImageInput(in), "offset");
    }

    /** The next entry, or null after TRAILER!!!; the previous entry's unread body is skipped. */
    public Entry next() throws IOException {
        if (state == State.END) return null;
        if (state == State.BODY) finishBody();
        entryOffset = in.position();
        Entry e = readHeader();
        if (Arrays.equals(e.name(), Entry.TRAILER)) {
            state = State.END;
            return null;
        }
        current = e;
        bodyLeft = e.size();
        bodySum = 0;
        state = State.BODY;
        if (e.size() == 0) finishBody();
        return e;
    }

    /** The current entry's body; reads return -1 at its end. Valid until the next call to {@link #next}. */
    public InputStream body() {
        return new Body();
    }

    /** The current entry's whole body, for symlink targets; refuses bodies longer than PATH_MAX. */
    public byte[] smallBody() throws IOException {
        if (bodyLeft > PATH_MAX) throw error(current.name(), "body of " + bodyLeft + " bytes is too long here");
        byte[] b = new byte[(int) bodyLeft];
        int off = 0;
        InputStream body = body();
        for (int n; off < b.length && (n = body.read(b, off, b.length - off)) > 0; ) off += n;
        return b;
    }

    private Entry readHeader() throws IOException {
        int have = in.ensure(6);
        if (have == 0) throw error(null, "archive ends without TRAILER!!!");
        if (have < 6) throw error(null, "truncated header");
        in.readFully(header, 0, 6);
        format = Format.ofMagic(header, 0);
        if (format == null) throw error(null, "bad magic " + Names.printable(Arrays.copyOf(header, 6)) + " (not a cpio header)");
        try {
            in.readFully(header, 6, format.headerSize() - 6);
        } catch (EOFException e) {
            throw error(null, "truncated header");
        }
        Fields f = format == Format.ODC ? Fields.odc(header) : Fields.newc(header);
        if (f.bad != null) throw error(null, "non-" + (format == Format.ODC ? "octal" : "hex") + " header field " + f.bad);
        if (f.namesize <= 0) throw error(null, "empty name");
        if (f.namesize > PATH_MAX) throw error(null, "name of " + f.namesize + " bytes exceeds PATH_MAX");
        byte[] name = new byte[(int) f.namesize];
        try {
            in.readFully(name, 0, name.length);
        } catch (EOFException e) {
            throw error(null, "name runs past end of input");
        }
        if (name[name.length - 1] != 0) throw error(Arrays.copyOf(name, name.length - 1), "name without its NUL");
        name = Arrays.copyOf(name, name.length - 1);
        for (byte b : name) if (b == 0) throw error(name, "NUL inside name");
        Entry e = new Entry(name, f.ino, (int) f.mode, f.uid, f.gid, f.nlink, f.mtime, f.size,
                f.devMajor, f.devMinor, f.rdevMajor, f.rdevMinor);
        if (!Arrays.equals(name, Entry.TRAILER)) validate(e);
        skipPadding(name);
        expectedSum = f.check;
        return e;
    }

    private void validate(Entry e) throws CpioFormatException {
        switch (e.type()) {
            case Stat.S_IFREG -> { }
            case Stat.S_IFLNK -> {
                if (e.size() == 0 || e.size() > PATH_MAX) throw error(e.name(), "symlink target of " + e.size() + " bytes");
            }
            case Stat.S_IFDIR, Stat.S_IFCHR, Stat.S_IFBLK, Stat.S_IFIFO, Stat.S_IFSOCK -> {
                if (e.size() != 0) throw error(e.name(), "a " + Modes.typeName(e.mode()) + " with a body of " + e.size() + " bytes");
            }
            default -> throw error(e.name(), String.format("unknown file type in mode %06o", e.mode()));
        }
    }

    private void finishBody() throws IOException {
        if (bodyLeft > 0) {
            if (format == Format.CRC) {
                InputStream body = body();
                byte[] sink = new byte[64 * 1024];
                while (body.read(sink) >= 0) { }
            } else {
                long n = in.skip(bodyLeft);
                if (n < bodyLeft) throw pastEnd();
                bodyLeft = 0;
            }
        }
        if (format == Format.CRC && current.isRegular() && bodySum != expectedSum) {
            throw error(current.name(), String.format("checksum %08x does not match the body's %08x", expectedSum, bodySum));
        }
        skipPadding(current.name());
        state = State.HEADER;
    }

    private CpioFormatException pastEnd() {
        return error(current.name(), "file size " + current.size() + " runs past end of input");
    }

    /** Skips to the next 4-byte boundary (newc); an archive may end right after its trailer's name. */
    private void skipPadding(byte[] name) throws IOException {
        int n = (int) (-(in.position() - archiveStart) & (format.alignment() - 1));
        if (n > 0 && in.skip(n) < n && !Arrays.equals(name, Entry.TRAILER)) {
            throw error(name, "padding runs past end of input");
        }
    }

    /** An error located at the start of the current header. */
    CpioFormatException error(byte[] name, String problem) {
        return new CpioFormatException(where, entryOffset, name, problem);
    }

    /** The current body, bounded; sums bytes for the crc format as they pass. */
    private final class Body extends BulkInputStream {
        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (state != State.BODY || bodyLeft == 0) return -1;
            int n = in.read(b, off, (int) Math.min(len, bodyLeft));
            if (n < 0) throw pastEnd();
            if (format == Format.CRC) bodySum = Checksum.of(b, off, n, bodySum);
            bodyLeft -= n;
            return n;
        }
    }
}
