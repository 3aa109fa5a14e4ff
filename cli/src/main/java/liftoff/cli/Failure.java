package liftoff.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileSystemException;
import liftoff.sys.Errno;

/**
 * The one line a verb prints when it fails, {@code liftoff VERB: WHAT: what is wrong}, and its exit
 * status. What is wrong is in the C library's words ({@link Errno#reason}): never a stack trace, a
 * bare path or Java's exception text.
 */
final class Failure {
    /** What a shell reports for a process killed by SIGPIPE (128 + 13), as a C tool would be. */
    static final int READER_GONE = 141;

    private Failure() {}

    /**
     * Reports {@code e} as being about {@code what}. With {@code what} null the exception names its own
     * subject: a FileSystemException its path, any other in its message (a spec's FILE:LINE, an option).
     * Returns the exit status: 1, or {@link #READER_GONE} without a word when stdout's reader has gone.
     */
    static int report(PrintWriter err, String verb, Object what, Exception e) {
        if (Output.readerGone(e)) return READER_GONE;
        if (what == null && e instanceof FileSystemException f) what = f.getFile();
        String reason = e instanceof IOException io ? Errno.reason(io)
                : e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        err.println("liftoff " + verb + ": " + (what == null ? "" : what + ": ") + reason);
        err.flush();
        return 1;
    }
}
