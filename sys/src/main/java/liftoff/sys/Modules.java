package liftoff.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

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
        try (Arena arena = Scratch.frame()) {
            MemorySegment errno = Libc.errnoSlot(arena);
            if (Libc.syscall(errno, Arch.Nr.FINIT_MODULE, fd, Libc.cString(arena, params).address(), flags) != 0) {
                throw Libc.failure(errno, "finit_module", fd, params, flags);
            }
        }
    }
}
