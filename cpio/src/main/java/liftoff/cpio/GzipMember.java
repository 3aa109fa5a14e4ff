package liftoff.cpio;

import java.io.EOFException;
import java.io.IOException;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * One gzip member (RFC 1952), as the kernel's decompress_inflate reads it: the header is parsed here,
 * the deflate data goes to the JDK's Inflater, and the bytes it did not use are given back, so the
 * member ends exactly where its trailer does (GZIPInputStream would swallow what follows).
 */
final class GzipMember extends BulkInputStream {
    private static final int FHCRC = 2, FEXTRA = 4, FNAME = 8, FCOMMENT = 16;

    private final ImageInput in;
    private final Inflater inflater = new Inflater(true);
    private final CRC32 crc = new CRC32();
    private final byte[] stage = new byte[64 * 1024];
    private long size;
    private boolean done;

    GzipMember(ImageInput in) throws IOException {
        this.in = in;
        byte[] h = new byte[10];
        in.readFully(h, 0, 10);
        if ((h[0] & 0xff) != 0x1f || (h[1] & 0xff) != 0x8b || h[2] != 8) throw new IOException("not a gzip deflate header");
        int flags = h[3] & 0xff;
        if ((flags & FEXTRA) != 0) in.skipNBytes(in.read() | in.read() << 8);
        if ((flags & FNAME) != 0) skipString();
        if ((flags & FCOMMENT) != 0) skipString();
        if ((flags & FHCRC) != 0) in.skipNBytes(2);
    }

    private void skipString() throws IOException {
        for (int c; (c = in.read()) != 0; ) if (c < 0) throw new EOFException("gzip header");
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (done) return -1;
        try {
            while (true) {
                int n = inflater.inflate(b, off, len);
                if (n > 0) {
                    crc.update(b, off, n);
                    size += n;
                    return n;
                }
                if (inflater.finished()) {
                    finish();
                    return -1;
                }
                if (inflater.needsDictionary()) throw new IOException("gzip data needs a preset dictionary");
                if (inflater.needsInput()) {
                    int r = in.read(stage, 0, stage.length);
                    if (r < 0) throw new EOFException("gzip data is truncated");
                    inflater.setInput(stage, 0, r);
                }
            }
        } catch (DataFormatException e) {
            throw new IOException("gzip data is corrupt: " + e.getMessage());
        }
    }

    /** Gives back what the inflater read past the deflate data, then checks the CRC32 and ISIZE trailer. */
    private void finish() throws IOException {
        in.unread(inflater.getRemaining());
        byte[] t = new byte[8];
        in.readFully(t, 0, 8);
        long storedCrc = le32(t, 0);
        long storedSize = le32(t, 4);
        done = true;
        inflater.end();
        if (storedCrc != crc.getValue()) throw new IOException("gzip CRC32 mismatch");
        if (storedSize != (size & 0xffffffffL)) throw new IOException("gzip size mismatch");
    }

    private static long le32(byte[] b, int off) {
        return (b[off] & 0xffL) | (b[off + 1] & 0xffL) << 8 | (b[off + 2] & 0xffL) << 16 | (b[off + 3] & 0xffL) << 24;
    }
}
