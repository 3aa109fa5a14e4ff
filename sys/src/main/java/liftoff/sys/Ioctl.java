package liftoff.sys;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/** ioctl(2), with a pointer argument (a struct the caller lays out) or an integer argument. */
public final class Ioctl {
    private Ioctl() {}

    /** Returns the ioctl's non-negative result. */
    public static int ioctl(int fd, long request, MemorySegment argument) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errno = Libc.errnoSlot(arena);
            int rc = (int) PointerArgument.H.invokeExact(errno, fd, request, argument);
            if (rc < 0) throw Libc.failure(errno, "ioctl", fd, "0x" + Long.toHexString(request), "<struct>");
            return rc;
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    public static int ioctl(int fd, long request, long argument) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errno = Libc.errnoSlot(arena);
            int rc = (int) IntegerArgument.H.invokeExact(errno, fd, request, argument);
            if (rc < 0) throw Libc.failure(errno, "ioctl", fd, "0x" + Long.toHexString(request), argument);
            return rc;
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    private static final class PointerArgument {
        static final MethodHandle H = Libc.downcall("ioctl",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS), Linker.Option.firstVariadicArg(2));
    }

    private static final class IntegerArgument {
        static final MethodHandle H = Libc.downcall("ioctl",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG), Linker.Option.firstVariadicArg(2));
    }
}
