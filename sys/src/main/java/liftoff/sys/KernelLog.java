package liftoff.sys;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;

/** The kernel ring buffer through klogctl(2): what dmesg prints, without blocking like /dev/kmsg. */
public final class KernelLog {
    private static final int SYSLOG_ACTION_READ_ALL = 3;
    private static final int SYSLOG_ACTION_SIZE_BUFFER = 10;

    private KernelLog() {}

    /** The whole ring buffer as text, records prefixed with their "&lt;level&gt;" as the kernel keeps them. */
    public static String readAll() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errno = Libc.errnoSlot(arena);
            int size = (int) Klogctl.H.invokeExact(errno, SYSLOG_ACTION_SIZE_BUFFER, MemorySegment.NULL, 0);
            if (size < 0) throw Libc.failure(errno, "klogctl", "SYSLOG_ACTION_SIZE_BUFFER");
            MemorySegment buf = arena.allocate(Math.max(size, 1));
            int n = (int) Klogctl.H.invokeExact(errno, SYSLOG_ACTION_READ_ALL, buf, size);
            if (n < 0) throw Libc.failure(errno, "klogctl", "SYSLOG_ACTION_READ_ALL", size);
            return new String(buf.asSlice(0, n).toArray(JAVA_BYTE), StandardCharsets.UTF_8);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    private static final class Klogctl {
        static final MethodHandle H = Libc.downcall("klogctl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    }
}
