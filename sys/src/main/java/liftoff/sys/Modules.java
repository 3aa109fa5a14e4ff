package liftoff.sys;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/** finit_module(2): loads a kernel module from an open file, so the module is never copied into the JVM. */
public final class Modules {
    /** Lets the kernel decompress a .ko.xz/.ko.zst/.ko.gz itself (Linux 6.4+ with the matching option). */
    public static final int MODULE_INIT_COMPRESSED_FILE = 4;

    private Modules() {}

    /**
     * Loads the module in {@code fd} with {@code params} ("" for none). EEXIST (already loaded) is
     * reported like any other error; the caller decides whether it matters.
     */
    public static void finitModule(int fd, String params, int flags) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errno = Libc.errnoSlot(arena);
            // glibc has no finit_module wrapper: syscall(2) takes the number, then the arguments.
            long rc = (long) Syscall.H.invokeExact(errno, Arch.SYS_FINIT_MODULE, fd, arena.allocateFrom(params), flags);
            if (rc != 0) throw Libc.failure(errno, "finit_module", fd, params, flags);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    private static final class Syscall {
        static final MethodHandle H = Libc.downcall("syscall",
                FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT),
                Linker.Option.firstVariadicArg(1));
    }
}
