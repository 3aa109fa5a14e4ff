package liftoff.sys;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;

/** execve, close_range, setsid, kill, waitpid, dup3, sync, reboot: the calls of a process that is PID 1. */
public final class Processes {
    public static final int SIGKILL = 9;
    public static final int SIGTERM = 15;
    public static final int WNOHANG = 1;

    public static final int RB_AUTOBOOT = 0x01234567;
    public static final int RB_HALT_SYSTEM = 0xcdef0123;
    public static final int RB_POWER_OFF = 0x4321fedc;

    // The raw reboot syscall wants these two before the command, against reboots by accident.
    private static final long LINUX_REBOOT_MAGIC1 = 0xfee1deadL;
    private static final long LINUX_REBOOT_MAGIC2 = 672274793L;
    private static final int CLOSE_RANGE_CLOEXEC = 1 << 2;

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
        try (Arena arena = Scratch.frame()) {
            MemorySegment errno = Libc.errnoSlot(arena);
            MemorySegment args = stringArray(arena, argv);
            long environ = env == null ? Environ.POINTER.get(JAVA_LONG, 0) : stringArray(arena, env).address();
            Libc.syscall(errno, Arch.Nr.EXECVE, Libc.cString(arena, path).address(), args.address(), environ);
            throw Libc.failure(errno, "execve", path, argv.toString());   // execve returns only on failure
        }
    }

    /**
     * A NULL-terminated char*[] as execve wants it. The pointers are written as 64-bit numbers (every
     * architecture liftoff runs on is LP64): the ADDRESS layout's access goes through a var handle of
     * its own, which the hand-over would otherwise build, interpreted, just before the exec.
     */
    private static MemorySegment stringArray(Arena arena, List<String> strings) {
        MemorySegment array = arena.allocate(JAVA_LONG, strings.size() + 1L);
        for (int i = 0; i < strings.size(); i++) array.setAtIndex(JAVA_LONG, i, Libc.cString(arena, strings.get(i)).address());
        array.setAtIndex(JAVA_LONG, strings.size(), 0L);
        return array;
    }

    /** setsid(2): returns the new session id. */
    public static int setsid() {
        try (Arena arena = Scratch.frame()) {
            MemorySegment errno = Libc.errnoSlot(arena);
            long sid = Libc.syscall(errno, Arch.Nr.SETSID);
            if (sid < 0) throw Libc.failure(errno, "setsid");
            return (int) sid;
        }
    }

    public static void kill(int pid, int signal) {
        try (Arena arena = Scratch.frame()) {
            MemorySegment errno = Libc.errnoSlot(arena);
            if (Libc.syscall(errno, Arch.Nr.KILL, pid, signal) != 0) throw Libc.failure(errno, "kill", pid, signal);
        }
    }

    /**
     * waitpid(2) (the wait4 syscall). Returns the reaped child and its status, or null with
     * {@link #WNOHANG} when no child has changed state yet.
     */
    public static WaitStatus waitpid(int pid, int options) {
        try (Arena arena = Scratch.frame()) {
            MemorySegment errno = Libc.errnoSlot(arena);
            MemorySegment status = arena.allocate(JAVA_INT);
            long reaped = Libc.syscall(errno, Arch.Nr.WAIT4, pid, status.address(), options, 0);
            if (reaped < 0) throw Libc.failure(errno, "waitpid", pid, options);
            return reaped == 0 ? null : new WaitStatus((int) reaped, status.get(JAVA_INT, 0));
        }
    }

    /** dup3(2): makes {@code newfd} a copy of {@code oldfd}; 0 flags leaves it inheritable. */
    public static void dup3(int oldfd, int newfd, int flags) {
        try (Arena arena = Scratch.frame()) {
            MemorySegment errno = Libc.errnoSlot(arena);
            if (Libc.syscall(errno, Arch.Nr.DUP3, oldfd, newfd, flags) < 0) throw Libc.failure(errno, "dup3", oldfd, newfd, flags);
        }
    }

    /**
     * close_range(2) with CLOSE_RANGE_CLOEXEC (Linux 5.11+): every descriptor from {@code lowest} up
     * is closed by the next successful execve, and stays usable until then.
     */
    public static void closeOnExecFrom(int lowest) {
        try (Arena arena = Scratch.frame()) {
            MemorySegment errno = Libc.errnoSlot(arena);
            if (Libc.syscall(errno, Arch.Nr.CLOSE_RANGE, lowest, 0xffff_ffffL, CLOSE_RANGE_CLOEXEC) != 0) {
                throw Libc.failure(errno, "close_range", lowest, Call.verbatim("~0U"), Call.verbatim("CLOSE_RANGE_CLOEXEC"));
            }
        }
    }

    public static void sync() {
        try (Arena arena = Scratch.frame()) {
            Libc.syscall(Libc.errnoSlot(arena), Arch.Nr.SYNC);
        }
    }

    /** reboot(2) with one of the RB_* commands; returns only by throwing. */
    public static void reboot(int command) {
        try (Arena arena = Scratch.frame()) {
            MemorySegment errno = Libc.errnoSlot(arena);
            Libc.syscall(errno, Arch.Nr.REBOOT, LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2, command, 0);
            throw Libc.failure(errno, "reboot", "0x" + Integer.toHexString(command));
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

    /** This process's environment (libc's environ), looked up once: Preload initialises it ahead of a hand-over. */
    static final class Environ {
        static final MemorySegment POINTER = Libc.symbol("environ").reinterpret(JAVA_LONG.byteSize());
    }
}
