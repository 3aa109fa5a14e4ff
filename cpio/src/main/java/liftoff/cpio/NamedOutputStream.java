package liftoff.cpio;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileSystemException;
import liftoff.sys.Errno;

/**
 * An output stream whose every failure names the output as the user knows it ("stdout", the -o
 * path): a failed write(2), a full disk above all, reaches Java as an IOException with strerror's
 * words alone ("No space left on device"), which do not say which disk is full. The name may be
 * the file asked for while the bytes go to a temporary sibling that replaces it at the end.
 */
public final class NamedOutputStream extends FilterOutputStream {
    private final String name;
    private final boolean closeSink;

    /** @param closeSink false for a stream that outlives this one (stdout): close() only flushes it */
    public NamedOutputStream(OutputStream sink, Object name, boolean closeSink) {
        super(sink);
        this.name = name.toString();
        this.closeSink = closeSink;
    }

    public String name() {
        return name;
    }

    /** {@code e} as a failure of the output called {@code name}, in the C library's words. */
    public static FileSystemException failure(Object name, IOException e) {
        FileSystemException named = new FileSystemException(name.toString(), null, Errno.reason(e));
        named.initCause(e);
        return named;
    }

    @Override
    public void write(int b) throws IOException {
        try {
            out.write(b);
        } catch (IOException e) {
            throw failure(name, e);
        }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        try {
            out.write(b, off, len);
        } catch (IOException e) {
            throw failure(name, e);
        }
    }

    @Override
    public void flush() throws IOException {
        try {
            out.flush();
        } catch (IOException e) {
            throw failure(name, e);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            out.flush();
            if (closeSink) out.close();
        } catch (IOException e) {
            throw failure(name, e);
        }
    }
}
