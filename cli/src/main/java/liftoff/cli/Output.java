package liftoff.cli;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import liftoff.cpio.NamedOutputStream;
import liftoff.sys.Errno;

/**
 * Where a verb writes its data (an image, a listing), under the name the user knows it by: "stdout" or
 * the -o path, so the line is "liftoff cpio: stdout: No space left on device", not the input's or a
 * temporary file's name. System.out is no use for this: a PrintStream swallows write errors, and a
 * full disk would look like success.
 */
final class Output {
    private static final String STDOUT = "stdout";
    private static final int BUFFER = 1 << 16;

    private Output() {}

    /** File descriptor 1; close() flushes it but leaves it open. */
    static NamedOutputStream stdout() {
        return new NamedOutputStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), BUFFER), STDOUT, false);
    }

    /** Opens {@code file}, its failures named {@code shownAs}: a temporary file is named as the output it becomes. */
    static NamedOutputStream open(Path file, Object shownAs, OpenOption... options) throws FileSystemException {
        try {
            return new NamedOutputStream(new BufferedOutputStream(Files.newOutputStream(file, options), BUFFER), shownAs, true);
        } catch (IOException e) {
            throw NamedOutputStream.failure(shownAs, e);
        }
    }

    /**
     * Whether {@code e} is stdout's reader having gone away ({@code liftoff cpio list IMAGE | head}):
     * it has all it wanted, and there is nobody to tell.
     */
    static boolean readerGone(Exception e) {
        return e instanceof FileSystemException f && STDOUT.equals(f.getFile())
                && Errno.describe(Errno.EPIPE).equals(f.getReason());
    }
}
