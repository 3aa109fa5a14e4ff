package liftoff.sys;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

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

    /** Built on the first failure only: a boot that succeeds never pays for them. */
    private static final class Names {
        static final MethodHandle STRERRORNAME_NP =
                Libc.plainDowncall("strerrorname_np", FunctionDescriptor.of(ADDRESS, JAVA_INT));
        static final MethodHandle STRERROR =
                Libc.plainDowncall("strerror", FunctionDescriptor.of(ADDRESS, JAVA_INT));
    }
}
