package liftoff.sys;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.io.IOException;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * The errno values liftoff acts on, and their names and texts from the C library itself, so a
 * message says exactly what strerror(3) would.
 */
public final class Errno {
    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int EINTR = 4;
    public static final int ENXIO = 6;
    public static final int ENOEXEC = 8;
    public static final int EBADF = 9;
    public static final int ECHILD = 10;
    public static final int EAGAIN = 11;
    public static final int EACCES = 13;
    public static final int EBUSY = 16;
    public static final int EEXIST = 17;
    public static final int EXDEV = 18;
    public static final int ENODEV = 19;
    public static final int ENOTDIR = 20;
    public static final int EISDIR = 21;
    public static final int EINVAL = 22;
    public static final int ENOSPC = 28;
    public static final int EROFS = 30;
    public static final int EPIPE = 32;
    public static final int ENOSYS = 38;
    public static final int ENOTEMPTY = 39;
    public static final int ELOOP = 40;
    public static final int ENOBUFS = 105;

    private Errno() {}

    /** {@code ENOENT} for 2; {@code E123} when the C library knows no name. */
    public static String name(int errno) {
        try {
            MemorySegment s = (MemorySegment) Names.STRERRORNAME_NP.invokeExact(errno);
            return s.equals(MemorySegment.NULL) ? "E" + errno : Libc.string(s);
        } catch (Throwable t) {
            return "E" + errno;
        }
    }

    /** {@code No such file or directory} for 2. */
    public static String describe(int errno) {
        try {
            return Libc.string((MemorySegment) Names.STRERROR.invokeExact(errno));
        } catch (Throwable t) {
            return "errno " + errno;
        }
    }

    /**
     * What went wrong, in the C library's words and without the path: {@code No such file or directory},
     * {@code No space left on device}. NIO drops the text for the errors it gives their own exception
     * class (NoSuchFileException, AccessDeniedException, ...): those get their errno's strerror text.
     * Any other exception says it in its message (a write's {@code No space left on device}).
     */
    public static String reason(IOException e) {
        if (e instanceof FileSystemException f) {
            if (f.getReason() != null) return f.getReason();
            int errno = switch (f) {
                case NoSuchFileException _ -> ENOENT;
                case AccessDeniedException _ -> EACCES;
                case FileAlreadyExistsException _ -> EEXIST;
                case NotDirectoryException _ -> ENOTDIR;
                case DirectoryNotEmptyException _ -> ENOTEMPTY;
                case FileSystemLoopException _ -> ELOOP;
                default -> 0;
            };
            if (errno != 0) return describe(errno);
        }
        // A FileSystemException's message is only its path when it has no reason: never the reason.
        boolean hasReason = e.getMessage() != null && !(e instanceof FileSystemException);
        return hasReason ? e.getMessage() : e.getClass().getSimpleName();
    }

    /** Built on the first failure only: a boot that succeeds never pays for them. */
    private static final class Names {
        static final MethodHandle STRERRORNAME_NP =
                Libc.plainDowncall("strerrorname_np", FunctionDescriptor.of(ADDRESS, JAVA_INT));
        static final MethodHandle STRERROR =
                Libc.plainDowncall("strerror", FunctionDescriptor.of(ADDRESS, JAVA_INT));
    }
}
