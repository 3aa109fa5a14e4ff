package liftoff.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

/** The kernel ring buffer through syslog(2) (glibc's klogctl): what dmesg prints, without blocking like /dev/kmsg. */
public final class KernelLog {
    private static final int SYSLOG_ACTION_READ_ALL = 3;
    private static final int SYSLOG_ACTION_SIZE_BUFFER = 10;

    private KernelLog() {}

    /** The whole ring buffer as text, records prefixed with their "&lt;level&gt;" as the kernel keeps them. */
    public static String readAll() {
        try (Arena arena = Scratch.frame()) {
            MemorySegment errno = Libc.errnoSlot(arena);
            long size = Libc.syscall(errno, Arch.Nr.SYSLOG, SYSLOG_ACTION_SIZE_BUFFER, 0, 0);
            if (size < 0) throw Libc.failure(errno, "syslog", "SYSLOG_ACTION_SIZE_BUFFER");
            MemorySegment buf = arena.allocate(Math.max(size, 1));
            long n = Libc.syscall(errno, Arch.Nr.SYSLOG, SYSLOG_ACTION_READ_ALL, buf.address(), size);
            if (n < 0) throw Libc.failure(errno, "syslog", "SYSLOG_ACTION_READ_ALL", size);
            return new String(Libc.bytes(buf, n), StandardCharsets.UTF_8);
        }
    }
}
