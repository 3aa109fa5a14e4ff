package liftoff.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.FileSystemException;
import liftoff.sys.Errno;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * How every liftoff verb reports a failure: one line on stderr, {@code liftoff VERB: WHAT: what is
 * wrong}, naming the file a file error is about and saying what is wrong in the C library's words
 * ({@link Errno#reason}: "No such file or directory", "No space left on device", as C tools print
 * them), never a stack trace or a Java class name. {@link Main#commandLine()} installs it as
 * picocli's execution exception handler, so a command just lets its exception out of
 * {@code call()}; a command that names the subject itself, or carries on after a failure (blkid
 * with the next device), calls {@link #report}.
 */
final class Errors implements CommandLine.IExecutionExceptionHandler {
    /** The exit status of a command that failed. */
    static final int FAILED = 1;
    /** What a shell reports for a process killed by SIGPIPE (128 + 13), as a C tool would be. */
    static final int READER_GONE = 141;

    @Override
    public int handleExecutionException(Exception e, CommandLine command, CommandLine.ParseResult parsed) {
        return report(command.getCommandSpec(), null, e);
    }

    /**
     * Prints {@code liftoff VERB: SUBJECT: what is wrong} and returns the exit status: 1, or
     * {@link #READER_GONE} without a word when stdout's reader has gone (`liftoff cpio list | head`).
     * With {@code subject} null the exception names its own: a file error its path, any other in its
     * message (a config file's FILE:LINE, an option).
     */
    static int report(CommandSpec command, Object subject, Exception e) {
        if (Output.readerGone(e)) return READER_GONE;
        PrintWriter err = command.commandLine().getErr();
        err.println(command.qualifiedName() + ": " + (subject == null ? message(e) : subject + ": " + reason(e)));
        err.flush();
        return FAILED;
    }

    /** {@code PATH: what is wrong} for a file error; otherwise the exception's message, which names its subject. */
    static String message(Exception e) {
        if (e instanceof UncheckedIOException unchecked) {
            return message(unchecked.getCause());
        }
        if (e instanceof FileSystemException file && file.getFile() != null) {
            return file.getFile() + (file.getOtherFile() != null ? " -> " + file.getOtherFile() : "") + ": " + reason(e);
        }
        return reason(e);
    }

    /** What is wrong, without the path: strerror's words for file errors (Java leaves them out). */
    static String reason(Exception e) {
        return switch (e) {
            case UncheckedIOException unchecked -> reason(unchecked.getCause());
            case CharacterCodingException x -> "not UTF-8 text";
            case IOException io -> Errno.reason(io);
            default -> e.getMessage() != null ? e.getMessage() : e.toString();
        };
    }
}
