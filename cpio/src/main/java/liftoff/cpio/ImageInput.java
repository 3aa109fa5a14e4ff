package liftoff.cpio;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;

/**
 * A buffered input that knows its position and can give back bytes it handed out (for decoders that
 * read ahead, like inflate). Segment boundaries are found exactly because every reader of an image
 * consumes through one of these. A file source is skipped by seeking, so listing an uncompressed image
 * never reads file bodies.
 */
final class ImageInput extends InputStream {
    static final int BUFFER = 1 << 20;

    private final InputStream in;
    private final FileChannel seekable;
    private final byte[] buf;
    private int pos;
    private int lim;
    private long bufStart;

    /** @param seekable the channel behind {@code in} when it is a file, else null */
    ImageInput(InputStream in, FileChannel seekable, int bufferSize) {
        this.in = in;
        this.seekable = seekable;
        this.buf = new byte[bufferSize];
    }

    ImageInput(InputStream in) {
        this(in, null, BUFFER);
    }

    static ImageInput of(FileChannel ch) {
        return new ImageInput(java.nio.channels.Channels.newInputStream(ch), ch, BUFFER);
    }

    /** Bytes consumed so far. */
    long position() {
        return bufStart + pos;
    }

    /** Makes up to {@code n} bytes available without consuming them; returns how many are. */
    int ensure(int n) throws IOException {
        if (lim - pos >= n) return n;
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, lim - pos);
            bufStart += pos;
            lim -= pos;
            pos = 0;
        }
        while (lim < n) {
            int r = in.read(buf, lim, buf.length - lim);
            if (r < 0) break;
            lim += r;
        }
        return Math.min(n, lim);
    }

    /** The byte {@code i} positions ahead, or -1 past the end of input; call {@link #ensure} first. */
    int peek(int i) {
        return pos + i < lim ? buf[pos + i] & 0xff : -1;
    }

    /** Gives back the last {@code n} bytes consumed; they must still be in the buffer. */
    void unread(int n) {
        if (n > pos) throw new IllegalStateException("cannot unread " + n + " bytes");
        pos -= n;
    }

    /** Reads exactly {@code len} bytes or throws EOFException. */
    void readFully(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            int n = read(b, off, len);
            if (n < 0) throw new EOFException();
            off += n;
            len -= n;
        }
    }

    @Override
    public int read() throws IOException {
        if (pos == lim && ensure(1) == 0) return -1;
        return buf[pos++] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) return 0;
        if (pos == lim) {
            if (len >= buf.length) {  // big reads bypass the buffer
                int n = in.read(b, off, len);
                if (n > 0) bufStart += n;
                return n;
            }
            if (ensure(1) == 0) return -1;
        }
        int n = Math.min(len, lim - pos);
        System.arraycopy(buf, pos, b, off, n);
        pos += n;
        return n;
    }

    /** Skips up to {@code n} bytes, seeking when the source is a file; returns how many were skipped. */
    @Override
    public long skip(long n) throws IOException {
        long fromBuffer = Math.min(n, lim - pos);
        pos += (int) fromBuffer;
        long left = n - fromBuffer;
        if (left == 0) return n;
        if (seekable != null) {
            long here = bufStart + lim;
            long target = Math.min(here + left, seekable.size());
            seekable.position(target);
            bufStart = target;
            pos = lim = 0;
            return fromBuffer + (target - here);
        }
        long skipped = fromBuffer;
        while (left > 0) {
            if (ensure(1) == 0) break;
            int k = (int) Math.min(left, lim - pos);
            pos += k;
            left -= k;
            skipped += k;
        }
        return skipped;
    }

    @Override
    public int available() {
        return lim - pos;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
