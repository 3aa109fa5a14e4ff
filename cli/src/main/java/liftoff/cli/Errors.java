package liftoff.cli;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * How every liftoff verb reports a failure: one line on stderr, {@code liftoff VERB: WHAT: what is
 * wrong}, naming the file a file error is about and saying what is wrong in the operating system's
 * words ("no such file or directory", "no space left on device"), never a stack trace or a Java
 * class name. {@link Main#commandLine()} installs it as picocli's execution exception handler, so a
 * command just lets its exception out of {@code call()}; a command that carries on after a failure
 * (blkid with the next device) prints the line itself with {@link #print(CommandSpec, Object, Exception)}.
 */
final class Errors implements CommandLine.IExecutionExceptionHandler {
    /** The exit status of a command that failed. */
    static final int FAILED = 1;

    @Override
    public int handleExecutionException(Exception e, CommandLine command, CommandLine.ParseResult parsed) {
        print(command.getCommandSpec(), e);
        return FAILED;
    }

    /** Prints {@code liftoff VERB: message}, the exception naming its own subject (a path, FILE:LINE). */
    static void print(CommandSpec command, Exception e) {
        line(command, message(e));
    }

    /** Prints {@code liftoff VERB: SUBJECT: what is wrong}. */
    static void print(CommandSpec command, Object subject, Exception e) {
        line(command, subject + ": " + reason(e));
    }

    private static void line(CommandSpec command, String text) {
        PrintWriter err = command.commandLine().getErr();
        err.println(command.qualifiedName() + ": " + text);
        err.flush();
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

    /**
     * What is wrong, without the path: strerror's words for file errors (Java leaves them out of the
     * exceptions it maps errno to), lower-cased to continue the line as the rest of liftoff's messages do.
     */
    static String reason(Exception e) {
        if (e instanceof UncheckedIOException unchecked) {
            return reason(unchecked.getCause());
        }
        String words = switch (e) {
            case FileSystemException file when file.getReason() != null -> file.getReason();
            case NoSuchFileException x -> "No such file or directory";
            case AccessDeniedException x -> "Permission denied";
            case FileAlreadyExistsException x -> "File exists";
            case DirectoryNotEmptyException x -> "Directory not empty";
            case NotDirectoryException x -> "Not a directory";
            case CharacterCodingException x -> "not UTF-8 text";
            default -> e.getMessage() != null ? e.getMessage() : e.toString();
        };
        return decapitalized(words);
    }

    /** "Is a directory" becomes "is a directory"; "UTF-8 ..." and "KERNEL_VERSION=..." stay as they are. */
    private static String decapitalized(String words) {
        if (words.length() > 1 && Character.isUpperCase(words.charAt(0)) && Character.isLowerCase(words.charAt(1))) {
            return words.substring(0, 1).toLowerCase(Locale.ROOT) + words.substring(1);
        }
        return words;
    }
}
