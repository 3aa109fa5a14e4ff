package liftoff.image;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileSystemException;
import java.nio.file.Path;

/**
 * An output stream whose write errors name the file: a failed write(2), a full disk above all,
 * reaches Java as an IOException with strerror's words alone ("No space left on device"), which do
 * not say which disk is full. The name given may be the file the user asked for while the bytes go
 * to a temporary sibling that replaces it at the end.
 */
final class NamedOutputStream extends FilterOutputStream {
    private final Path name;

    NamedOutputStream(OutputStream out, Path name) {
        super(out);
        this.name = name;
    }

    @Override
    public void write(int b) throws IOException {
        try {
            out.write(b);
        } catch (IOException e) {
            throw named(e);
        }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        try {
            out.write(b, off, len);
        } catch (IOException e) {
            throw named(e);
        }
    }

    @Override
    public void flush() throws IOException {
        try {
            out.flush();
        } catch (IOException e) {
            throw named(e);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            super.close();
        } catch (IOException e) {
            throw named(e);
        }
    }

    /** A FileSystemException already names its file; anything else gets this stream's name. */
    private IOException named(IOException e) {
        if (e instanceof FileSystemException) {
            return e;
        }
        FileSystemException named = new FileSystemException(name.toString(), null, e.getMessage());
        named.initCause(e);
        return named;
    }
}
