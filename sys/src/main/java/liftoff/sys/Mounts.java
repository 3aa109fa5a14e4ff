package liftoff.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

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
        try (Arena arena = Scratch.frame()) {
            MemorySegment errno = Libc.errnoSlot(arena);
            long rc = Libc.syscall(errno, Arch.Nr.MOUNT, Libc.cString(arena, source).address(),
                    Libc.cString(arena, target).address(), Libc.cString(arena, fstype).address(), flags,
                    Libc.cString(arena, data).address());
            if (rc != 0) {
                Flags f = new Flags(flags, MS_BITS, MS_NAMES);
                Object[] args = data != null ? new Object[] {source, target, fstype, f, data}
                        : flags != 0 ? new Object[] {source, target, fstype, f}
                        : new Object[] {source, target, fstype};
                throw Libc.failure(errno, "mount", args);
            }
        }
    }

    /** Moves the mount at {@code from} to {@code to} (MS_MOVE): the same superblock, not a copy. */
    public static void move(String from, String to) {
        mount(from, to, null, MS_MOVE, null);
    }

    /** umount2(2), e.g. with {@link #MNT_DETACH} for a lazy unmount. */
    public static void umount(String target, int flags) {
        try (Arena arena = Scratch.frame()) {
            MemorySegment errno = Libc.errnoSlot(arena);
            long rc = Libc.syscall(errno, Arch.Nr.UMOUNT2, Libc.cString(arena, target).address(), flags);
            if (rc != 0) {
                Object[] args = flags != 0 ? new Object[] {target, new Flags(flags, MNT_BITS, MNT_NAMES)}
                        : new Object[] {target};
                throw Libc.failure(errno, "umount2", args);
            }
        }
    }

    /** pivot_root(2): {@code newRoot} becomes /, the old root is attached at {@code putOld}. */
    public static void pivotRoot(String newRoot, String putOld) {
        try (Arena arena = Scratch.frame()) {
            MemorySegment errno = Libc.errnoSlot(arena);
            long rc = Libc.syscall(errno, Arch.Nr.PIVOT_ROOT, Libc.cString(arena, newRoot).address(),
                    Libc.cString(arena, putOld).address());
            if (rc != 0) throw Libc.failure(errno, "pivot_root", newRoot, putOld);
        }
    }
}
