package liftoff.cli;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import liftoff.sys.Errno;

/**
 * Where a verb writes its data (an image, a listing), under the name the user knows it by: "stdout" or
 * the -o path. Every failure to open, write, flush or close it is a FileSystemException naming it with
 * the system's reason, so the line is "liftoff cpio: stdout: No space left on device", not the input's
 * or a temporary file's name. System.out is no use for this: a PrintStream swallows write errors, and a
 * full disk would look like success.
 */
final class Output extends FilterOutputStream {
    private static final String STDOUT = "stdout";

    private final String name;
    private final boolean closeSink;

    private Output(String name, OutputStream sink, boolean closeSink) {
        super(new BufferedOutputStream(sink, 1 << 16));
        this.name = name;
        this.closeSink = closeSink;
    }

    /** File descriptor 1; close() flushes it but leaves it open. */
    static Output stdout() {
        return new Output(STDOUT, new FileOutputStream(FileDescriptor.out), false);
    }

    /** Opens {@code file}, its failures named {@code shownAs}: a temporary file is named as the output it becomes. */
    static Output open(Path file, Object shownAs, OpenOption... options) throws FileSystemException {
        try {
            return new Output(shownAs.toString(), Files.newOutputStream(file, options), true);
        } catch (IOException e) {
            throw failure(shownAs, e);
        }
    }

    /** {@code e} as a failure of the output called {@code name}. */
    static FileSystemException failure(Object name, IOException e) {
        FileSystemException named = new FileSystemException(name.toString(), null, Errno.reason(e));
        named.initCause(e);
        return named;
    }

    /**
     * Whether {@code e} is stdout's reader having gone away ({@code liftoff cpio list IMAGE | head}):
     * it has all it wanted, and there is nobody to tell.
     */
    static boolean readerGone(Exception e) {
        return e instanceof FileSystemException f && STDOUT.equals(f.getFile())
                && Errno.describe(Errno.EPIPE).equals(f.getReason());
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
