package liftoff.sys;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.List;

/** execve, setsid, kill, waitpid, dup3, sync, reboot: the calls of a process that is PID 1. */
public final class Processes {
    public static final int SIGKILL = 9;
    public static final int SIGTERM = 15;
    public static final int WNOHANG = 1;

    public static final int RB_AUTOBOOT = 0x01234567;
    public static final int RB_HALT_SYSTEM = 0xcdef0123;
    public static final int RB_POWER_OFF = 0x4321fedc;

    private Processes() {}

    /**
     * execve(2) with this process's own environment: the program replaces the JVM in the same
     * process, so it keeps the PID (PID 1 stays PID 1). Returns only by throwing.
     */
    public static void execve(String path, List<String> argv) {
        execve(path, argv, null);
    }

    /** execve(2) with the environment {@code env} ("NAME=value" strings), or this process's own when null. */
    public static void execve(String path, List<String> argv, List<String> env) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errno = Libc.errnoSlot(arena);
            MemorySegment args = stringArray(arena, argv);
            MemorySegment environ = env == null ? Environ.POINTER.get(ADDRESS, 0) : stringArray(arena, env);
            // execve returns only on failure.
            int unused = (int) Execve.H.invokeExact(errno, Libc.cString(arena, path), args, environ);
            throw Libc.failure(errno, "execve", path, argv.toString());
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** A NULL-terminated char*[] as execve wants it. */
    private static MemorySegment stringArray(Arena arena, List<String> strings) {
        MemorySegment array = arena.allocate(ADDRESS, strings.size() + 1L);
        for (int i = 0; i < strings.size(); i++) array.setAtIndex(ADDRESS, i, arena.allocateFrom(strings.get(i)));
        array.setAtIndex(ADDRESS, strings.size(), MemorySegment.NULL);
        return array;
    }

    /** setsid(2): returns the new session id. */
    public static int setsid() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errno = Libc.errnoSlot(arena);
            int sid = (int) Setsid.H.invokeExact(errno);
            if (sid < 0) throw Libc.failure(errno, "setsid");
            return sid;
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    public static void kill(int pid, int signal) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errno = Libc.errnoSlot(arena);
            int rc = (int) Kill.H.invokeExact(errno, pid, signal);
            if (rc != 0) throw Libc.failure(errno, "kill", pid, signal);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /**
     * waitpid(2). Returns the reaped child and its status, or null with {@link #WNOHANG} when no
     * child has changed state yet.
     */
    public static WaitStatus waitpid(int pid, int options) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errno = Libc.errnoSlot(arena);
            MemorySegment status = arena.allocate(JAVA_INT);
            int reaped = (int) Waitpid.H.invokeExact(errno, pid, status, options);
            if (reaped < 0) throw Libc.failure(errno, "waitpid", pid, options);
            return reaped == 0 ? null : new WaitStatus(reaped, status.get(JAVA_INT, 0));
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** dup3(2): makes {@code newfd} a copy of {@code oldfd}; 0 flags leaves it inheritable. */
    public static void dup3(int oldfd, int newfd, int flags) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errno = Libc.errnoSlot(arena);
            int rc = (int) Dup3.H.invokeExact(errno, oldfd, newfd, flags);
            if (rc < 0) throw Libc.failure(errno, "dup3", oldfd, newfd, flags);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    public static void sync() {
        try {
            Sync.H.invokeExact();
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** reboot(2) with one of the RB_* commands; returns only by throwing. */
    public static void reboot(int command) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errno = Libc.errnoSlot(arena);
            int unused = (int) Reboot.H.invokeExact(errno, command);
            throw Libc.failure(errno, "reboot", "0x" + Integer.toHexString(command));
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** The exit of a child as waitpid(2) encodes it. */
    public record WaitStatus(int pid, int raw) {
        public boolean exited() {
            return (raw & 0x7f) == 0;
        }

        public int exitCode() {
            return (raw >> 8) & 0xff;
        }

        public boolean signaled() {
            int low = raw & 0x7f;
            return low != 0 && low != 0x7f;
        }

        public int signal() {
            return raw & 0x7f;
        }

        @Override
        public String toString() {
            return exited() ? "exit " + exitCode() : signaled() ? "signal " + signal() : "status 0x" + Integer.toHexString(raw);
        }
    }

    private static final class Environ {
        static final MemorySegment POINTER = Libc.symbol("environ").reinterpret(ValueLayout.ADDRESS.byteSize());
    }

    private static final class Execve {
        static final MethodHandle H = Libc.downcall("execve", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS));
    }

    private static final class Setsid {
        static final MethodHandle H = Libc.downcall("setsid", FunctionDescriptor.of(JAVA_INT));
    }

    private static final class Kill {
        static final MethodHandle H = Libc.downcall("kill", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    }

    private static final class Waitpid {
        static final MethodHandle H = Libc.downcall("waitpid", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    }

    private static final class Dup3 {
        static final MethodHandle H = Libc.downcall("dup3", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    }

    private static final class Sync {
        static final MethodHandle H = Libc.plainDowncall("sync", FunctionDescriptor.ofVoid());
    }

    private static final class Reboot {
        static final MethodHandle H = Libc.downcall("reboot", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    }
}
