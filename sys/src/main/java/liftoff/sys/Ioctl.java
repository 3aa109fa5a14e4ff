package liftoff.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/** ioctl(2), with a pointer argument (a struct the caller lays out) or an integer argument. */
public final class Ioctl {
    private Ioctl() {}

    /** Returns the ioctl's non-negative result. */
    public static int ioctl(int fd, long request, MemorySegment argument) {
        try (Arena arena = Scratch.frame()) {
            MemorySegment errno = Libc.errnoSlot(arena);
            long rc = Libc.syscall(errno, Arch.Nr.IOCTL, fd, request, argument.address());
            if (rc < 0) throw Libc.failure(errno, "ioctl", fd, "0x" + Long.toHexString(request), "<struct>");
            return (int) rc;
        }
    }

    /**
     * The same, with the request and its argument named in the error message, e.g.
     * {@code ioctl(3, DM_DEV_CREATE, {name="root"})}.
     */
    public static int ioctl(int fd, long request, String requestName, MemorySegment argument, String argumentText) {
        try (Arena arena = Scratch.frame()) {
            MemorySegment errno = Libc.errnoSlot(arena);
            long rc = Libc.syscall(errno, Arch.Nr.IOCTL, fd, request, argument.address());
            if (rc < 0) throw Libc.failure(errno, "ioctl", fd, Call.verbatim(requestName), Call.verbatim(argumentText));
            return (int) rc;
        }
    }

    public static int ioctl(int fd, long request, long argument) {
        try (Arena arena = Scratch.frame()) {
            MemorySegment errno = Libc.errnoSlot(arena);
            long rc = Libc.syscall(errno, Arch.Nr.IOCTL, fd, request, argument);
            if (rc < 0) throw Libc.failure(errno, "ioctl", fd, "0x" + Long.toHexString(request), argument);
            return (int) rc;
        }
    }
}
