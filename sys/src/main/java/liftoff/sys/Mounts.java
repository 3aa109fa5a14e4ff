package liftoff.sys;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/** mount(2), umount2(2), pivot_root(2). */
public final class Mounts {
    public static final long MS_RDONLY = 1;
    public static final long MS_NOSUID = 2;
    public static final long MS_NODEV = 4;
    public static final long MS_NOEXEC = 8;
    public static final long MS_SYNCHRONOUS = 16;
    public static final long MS_REMOUNT = 32;
    public static final long MS_NOATIME = 1024;
    public static final long MS_BIND = 4096;
    public static final long MS_MOVE = 8192;
    public static final long MS_REC = 16384;
    public static final long MS_SILENT = 32768;
    public static final long MS_PRIVATE = 1 << 18;
    public static final long MS_SLAVE = 1 << 19;
    public static final long MS_SHARED = 1 << 20;
    public static final long MS_RELATIME = 1 << 21;
    public static final long MS_STRICTATIME = 1 << 24;
    public static final long MS_LAZYTIME = 1 << 25;

    public static final int MNT_FORCE = 1;
    public static final int MNT_DETACH = 2;

    private static final long[] MS_BITS = {MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC, MS_SYNCHRONOUS,
            MS_REMOUNT, MS_NOATIME, MS_BIND, MS_MOVE, MS_REC, MS_SILENT, MS_PRIVATE, MS_SLAVE, MS_SHARED,
            MS_RELATIME, MS_STRICTATIME, MS_LAZYTIME};
    private static final String[] MS_NAMES = {"MS_RDONLY", "MS_NOSUID", "MS_NODEV", "MS_NOEXEC",
            "MS_SYNCHRONOUS", "MS_REMOUNT", "MS_NOATIME", "MS_BIND", "MS_MOVE", "MS_REC", "MS_SILENT",
            "MS_PRIVATE", "MS_SLAVE", "MS_SHARED", "MS_RELATIME", "MS_STRICTATIME", "MS_LAZYTIME"};
    private static final long[] MNT_BITS = {MNT_FORCE, MNT_DETACH};
    private static final String[] MNT_NAMES = {"MNT_FORCE", "MNT_DETACH"};

    private Mounts() {}

    /**
     * mount(2). The error names the call as given; trailing zero flags and NULL data are left out,
     * so the common case reads {@code mount("/dev/vda", "/newroot", "ext4")}.
     */
    public static void mount(String source, String target, String fstype, long flags, String data) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errno = Libc.errnoSlot(arena);
            int rc = (int) Mount.H.invokeExact(errno, Libc.cString(arena, source), Libc.cString(arena, target),
                    Libc.cString(arena, fstype), flags, Libc.cString(arena, data));
            if (rc != 0) {
                Flags f = new Flags(flags, MS_BITS, MS_NAMES);
                Object[] args = data != null ? new Object[] {source, target, fstype, f, data}
                        : flags != 0 ? new Object[] {source, target, fstype, f}
                        : new Object[] {source, target, fstype};
                throw Libc.failure(errno, "mount", args);
            }
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** Moves the mount at {@code from} to {@code to} (MS_MOVE): the same superblock, not a copy. */
    public static void move(String from, String to) {
        mount(from, to, null, MS_MOVE, null);
    }

    /** umount2(2), e.g. with {@link #MNT_DETACH} for a lazy unmount. */
    public static void umount(String target, int flags) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errno = Libc.errnoSlot(arena);
            int rc = (int) Umount2.H.invokeExact(errno, Libc.cString(arena, target), flags);
            if (rc != 0) {
                Object[] args = flags != 0 ? new Object[] {target, new Flags(flags, MNT_BITS, MNT_NAMES)}
                        : new Object[] {target};
                throw Libc.failure(errno, "umount2", args);
            }
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** pivot_root(2): {@code newRoot} becomes /, the old root is attached at {@code putOld}. */
    public static void pivotRoot(String newRoot, String putOld) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errno = Libc.errnoSlot(arena);
            int rc = (int) PivotRoot.H.invokeExact(errno, Libc.cString(arena, newRoot), Libc.cString(arena, putOld));
            if (rc != 0) throw Libc.failure(errno, "pivot_root", newRoot, putOld);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    private static final class Mount {
        static final MethodHandle H = Libc.downcall("mount",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS));
    }

    private static final class Umount2 {
        static final MethodHandle H = Libc.downcall("umount2", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    }

    private static final class PivotRoot {
        static final MethodHandle H = Libc.downcall("pivot_root", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    }
}
