package liftoff.sys;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * File and directory calls on descriptors: the *at() family, getdents64, statx, statfs, chroot and
 * chdir. Paths are given as String (UTF-8) or as raw bytes for names read back from getdents64.
 */
public final class Fs {
    public static final int AT_FDCWD = -100;
    public static final int AT_SYMLINK_NOFOLLOW = 0x100;
    public static final int AT_REMOVEDIR = 0x200;
    public static final int AT_EMPTY_PATH = 0x1000;

    public static final int O_RDONLY = 0;
    public static final int O_WRONLY = 1;
    public static final int O_RDWR = 2;
    public static final int O_CREAT = 0100;
    public static final int O_EXCL = 0200;
    public static final int O_NOCTTY = 0400;
    public static final int O_CLOEXEC = 02000000;
    public static final int O_PATH = 010000000;
    public static final int O_DIRECTORY = Arch.O_DIRECTORY;
    public static final int O_NOFOLLOW = Arch.O_NOFOLLOW;

    private static final int STATX_BASIC_STATS = 0x7ff;
    private static final int STATX_MNT_ID = 0x1000;
    private static final long STATX_SIZE = 256;
    private static final long STATFS_SIZE = 120;
    private static final int DIRENT_BUFFER = 8 * 1024;
    private static final int PATH_MAX = 4096;

    private Fs() {}

    public static int openat(int dirfd, String path, int flags, int mode) {
        return openat(dirfd, utf8(path), flags, mode);
    }

    public static int openat(int dirfd, byte[] path, int flags, int mode) {
        try (Arena arena = Scratch.frame()) {
            MemorySegment errno = Libc.errnoSlot(arena);
            long fd = Libc.syscall(errno, Arch.Nr.OPENAT, dirfd, Libc.cString(arena, path).address(), flags, mode);
            if (fd < 0) throw Libc.failure(errno, "openat", dirName(dirfd), path, "0x" + Integer.toHexString(flags));
            return (int) fd;
        }
    }

    /** Opens a directory without following a final symlink: the base of every *at() walk. */
    public static int openDirectory(int dirfd, byte[] path) {
        return openat(dirfd, path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC, 0);
    }

    public static int openDirectory(String path) {
        return openDirectory(AT_FDCWD, utf8(path));
    }

    public static void close(int fd) {
        try (Arena arena = Scratch.frame()) {
            MemorySegment errno = Libc.errnoSlot(arena);
            if (Libc.syscall(errno, Arch.Nr.CLOSE, fd) != 0) throw Libc.failure(errno, "close", fd);
        }
    }

    /**
     * The start of a small file, such as a sysfs attribute: at most {@code max} bytes from one
     * read. Null when there is no such file (ENOENT, ENOTDIR), without the cost of an exception:
     * for walks where most of the files asked for are missing.
     */
    public static byte[] readIfPresent(int dirfd, byte[] path, int max) {
        try (Scratch frame = Scratch.frame()) {
            MemorySegment errno = Libc.errnoSlot(frame);
            long fd = Libc.syscall(errno, Arch.Nr.OPENAT, dirfd, Libc.cString(frame, path).address(), O_RDONLY | O_CLOEXEC, 0);
            if (fd < 0) {
                int e = Libc.errno(errno);
                if (e == Errno.ENOENT || e == Errno.ENOTDIR) return null;
                throw Libc.failure(errno, "openat", dirName(dirfd), path, "O_RDONLY|O_CLOEXEC");
            }
            try {
                MemorySegment buffer = frame.buffer(max, 8);
                long n = Libc.syscall(errno, Arch.Nr.READ, fd, buffer.address(), max);
                if (n < 0) throw Libc.failure(errno, "read", fd, "<buffer>", max);
                return Libc.bytes(buffer, n);
            } finally {
                close((int) fd);
            }
        }
    }

    /** All entries of an open directory, "." and ".." included, in the order the kernel gives. */
    public static List<DirEntry> readDirectory(int fd) {
        List<DirEntry> entries = new ArrayList<>();
        try (Scratch frame = Scratch.frame()) {
            MemorySegment errno = Libc.errnoSlot(frame);
            MemorySegment buffer = frame.buffer(DIRENT_BUFFER, 8);
            byte[] records = new byte[DIRENT_BUFFER];   // parsed as a Java array: segment reads are slow interpreted
            while (true) {
                long n = Libc.syscall(errno, Arch.Nr.GETDENTS64, fd, buffer.address(), DIRENT_BUFFER);
                if (n < 0) throw Libc.failure(errno, "getdents64", fd);
                if (n == 0) return entries;
                MemorySegment.copy(buffer, JAVA_BYTE, 0, records, 0, (int) n);
                // struct linux_dirent64 { u64 d_ino; s64 d_off; u16 d_reclen; u8 d_type; char d_name[]; }
                for (int at = 0; at < n; ) {
                    int nameStart = at + 19;
                    int nameEnd = nameStart;
                    while (records[nameEnd] != 0) nameEnd++;
                    entries.add(new DirEntry(le64(records, at), records[at + 18] & 0xff, Arrays.copyOfRange(records, nameStart, nameEnd)));
                    at += le16(records, at + 16);
                }
            }
        }
    }

    public static void unlinkat(int dirfd, byte[] name, int flags) {
        try (Arena arena = Scratch.frame()) {
            MemorySegment errno = Libc.errnoSlot(arena);
            if (Libc.syscall(errno, Arch.Nr.UNLINKAT, dirfd, Libc.cString(arena, name).address(), flags) != 0) {
                throw Libc.failure(errno, "unlinkat", dirName(dirfd), name, flags == AT_REMOVEDIR ? "AT_REMOVEDIR" : flags);
            }
        }
    }

    public static void unlinkat(int dirfd, String path, int flags) {
        unlinkat(dirfd, utf8(path), flags);
    }

    public static void mkdirat(int dirfd, String path, int mode) {
        mkdirat(dirfd, utf8(path), mode);
    }

    public static void mkdirat(int dirfd, byte[] path, int mode) {
        try (Arena arena = Scratch.frame()) {
            MemorySegment errno = Libc.errnoSlot(arena);
            if (Libc.syscall(errno, Arch.Nr.MKDIRAT, dirfd, Libc.cString(arena, path).address(), mode) != 0) {
                throw Libc.failure(errno, "mkdirat", dirName(dirfd), path, octal(mode));
            }
        }
    }

    public static void mknodat(int dirfd, String path, int mode, long dev) {
        mknodat(dirfd, utf8(path), mode, dev);
    }

    /** mknodat(2): {@code mode} holds the file type (S_IFCHR, S_IFBLK, S_IFIFO...) and permissions. */
    public static void mknodat(int dirfd, byte[] path, int mode, long dev) {
        try (Arena arena = Scratch.frame()) {
            MemorySegment errno = Libc.errnoSlot(arena);
            if (Libc.syscall(errno, Arch.Nr.MKNODAT, dirfd, Libc.cString(arena, path).address(), mode, dev) != 0) {
                throw Libc.failure(errno, "mknodat", dirName(dirfd), path, octal(mode), Stat.major(dev) + ":" + Stat.minor(dev));
            }
        }
    }

    public static void symlinkat(String target, int dirfd, String linkPath) {
        symlinkat(utf8(target), dirfd, utf8(linkPath));
    }

    public static void symlinkat(byte[] target, int dirfd, byte[] linkPath) {
        try (Arena arena = Scratch.frame()) {
            MemorySegment errno = Libc.errnoSlot(arena);
            long rc = Libc.syscall(errno, Arch.Nr.SYMLINKAT, Libc.cString(arena, target).address(), dirfd,
                    Libc.cString(arena, linkPath).address());
            if (rc != 0) throw Libc.failure(errno, "symlinkat", target, dirName(dirfd), linkPath);
        }
    }

    /** readlinkat(2): the raw target bytes of a symlink. */
    public static byte[] readlinkat(int dirfd, byte[] path) {
        try (Arena arena = Scratch.frame()) {
            MemorySegment errno = Libc.errnoSlot(arena);
            MemorySegment buf = arena.allocate(PATH_MAX);
            long n = Libc.syscall(errno, Arch.Nr.READLINKAT, dirfd, Libc.cString(arena, path).address(), buf.address(), PATH_MAX);
            if (n < 0) throw Libc.failure(errno, "readlinkat", dirName(dirfd), path);
            return Libc.bytes(buf, n);
        }
    }

    /** linkat(2): a hard link {@code newPath} (under {@code newDirfd}) to {@code oldPath}. */
    public static void linkat(int oldDirfd, byte[] oldPath, int newDirfd, byte[] newPath) {
        try (Arena arena = Scratch.frame()) {
            MemorySegment errno = Libc.errnoSlot(arena);
            long rc = Libc.syscall(errno, Arch.Nr.LINKAT, oldDirfd, Libc.cString(arena, oldPath).address(), newDirfd,
                    Libc.cString(arena, newPath).address(), 0);
            if (rc != 0) throw Libc.failure(errno, "linkat", dirName(oldDirfd), oldPath, dirName(newDirfd), newPath);
        }
    }

    /** fchownat(2); with {@link #AT_SYMLINK_NOFOLLOW} it changes a symlink itself. */
    public static void fchownat(int dirfd, byte[] path, int uid, int gid, int flags) {
        try (Arena arena = Scratch.frame()) {
            MemorySegment errno = Libc.errnoSlot(arena);
            if (Libc.syscall(errno, Arch.Nr.FCHOWNAT, dirfd, Libc.cString(arena, path).address(), uid, gid, flags) != 0) {
                throw Libc.failure(errno, "fchownat", dirName(dirfd), path, uid, gid, flags);
            }
        }
    }

    /** fchmodat(2) of a file that is not a symlink (Linux cannot change a symlink's mode). */
    public static void fchmodat(int dirfd, byte[] path, int mode) {
        try (Arena arena = Scratch.frame()) {
            MemorySegment errno = Libc.errnoSlot(arena);
            if (Libc.syscall(errno, Arch.Nr.FCHMODAT, dirfd, Libc.cString(arena, path).address(), mode) != 0) {
                throw Libc.failure(errno, "fchmodat", dirName(dirfd), path, octal(mode));
            }
        }
    }

    /** utimensat(2): sets both access and modification time; a final symlink is not followed. */
    public static void setTimes(int dirfd, byte[] path, long seconds, int nanos) {
        try (Arena arena = Scratch.frame()) {
            MemorySegment errno = Libc.errnoSlot(arena);
            MemorySegment times = arena.allocate(32, 8);   // struct timespec[2] on LP64
            times.set(JAVA_LONG, 0, seconds);
            times.set(JAVA_LONG, 8, nanos);
            times.set(JAVA_LONG, 16, seconds);
            times.set(JAVA_LONG, 24, nanos);
            long rc = Libc.syscall(errno, Arch.Nr.UTIMENSAT, dirfd, Libc.cString(arena, path).address(), times.address(),
                    AT_SYMLINK_NOFOLLOW);
            if (rc != 0) throw Libc.failure(errno, "utimensat", dirName(dirfd), path, seconds);
        }
    }

    /** Copies {@code count} bytes from {@code in} to {@code out} in the kernel (sendfile(2)). */
    public static void copyContents(int in, int out, long count) {
        try (Arena arena = Scratch.frame()) {
            MemorySegment errno = Libc.errnoSlot(arena);
            long left = count;
            while (left > 0) {
                long n = Libc.syscall(errno, Arch.Nr.SENDFILE, out, in, 0, Math.min(left, 1L << 30));
                if (n < 0) throw Libc.failure(errno, "sendfile", out, in, left);
                if (n == 0) break;   // the file shrank under us: copy what there is
                left -= n;
            }
        }
    }

    /** statx(2) of {@code path} relative to {@code dirfd}; pass {@link #AT_SYMLINK_NOFOLLOW} for lstat. */
    public static Stat stat(int dirfd, byte[] path, int flags) {
        try (Scratch frame = Scratch.frame()) {
            MemorySegment errno = Libc.errnoSlot(frame);
            MemorySegment buf = frame.buffer(STATX_SIZE, 8);
            long rc = Libc.syscall(errno, Arch.Nr.STATX, dirfd, Libc.cString(frame, path).address(), flags,
                    STATX_BASIC_STATS | STATX_MNT_ID, buf.address());
            if (rc != 0) throw Libc.failure(errno, "statx", dirName(dirfd), path, flags);
            byte[] b = Libc.bytes(buf, STATX_SIZE);   // one copy, then plain array reads (segment reads are slow interpreted)
            // struct statx: see linux/stat.h; offsets are the same on every architecture.
            int mask = le32(b, 0);
            long rdev = Stat.makedev(le32(b, 128), le32(b, 132));
            long dev = Stat.makedev(le32(b, 136), le32(b, 140));
            long mountId = (mask & STATX_MNT_ID) != 0 ? le64(b, 144) : -1;
            return new Stat(dev, le64(b, 32), le16(b, 28), Integer.toUnsignedLong(le32(b, 16)), le32(b, 20), le32(b, 24),
                    le64(b, 40), rdev, le64(b, 112), le32(b, 120), mountId);
        }
    }

    /** lstat(2) of a path: a final symlink is described, not followed. */
    public static Stat lstat(String path) {
        return stat(AT_FDCWD, utf8(path), AT_SYMLINK_NOFOLLOW);
    }

    /** stat(2) of a path, following symlinks. */
    public static Stat stat(String path) {
        return stat(AT_FDCWD, utf8(path), 0);
    }

    /** fstat(2) of an open descriptor. */
    public static Stat fstat(int fd) {
        return stat(fd, new byte[0], AT_EMPTY_PATH);
    }

    public static StatFs statfs(String path) {
        try (Arena arena = Scratch.frame()) {
            MemorySegment errno = Libc.errnoSlot(arena);
            MemorySegment buf = arena.allocate(STATFS_SIZE, 8);
            if (Libc.syscall(errno, Arch.Nr.STATFS, Libc.cString(arena, path).address(), buf.address()) != 0) {
                throw Libc.failure(errno, "statfs", path);
            }
            return statFs(buf);
        }
    }

    public static StatFs fstatfs(int fd) {
        try (Arena arena = Scratch.frame()) {
            MemorySegment errno = Libc.errnoSlot(arena);
            MemorySegment buf = arena.allocate(STATFS_SIZE, 8);
            if (Libc.syscall(errno, Arch.Nr.FSTATFS, fd, buf.address()) != 0) throw Libc.failure(errno, "fstatfs", fd);
            return statFs(buf);
        }
    }

    public static void chroot(String path) {
        pathCall(Arch.Nr.CHROOT, "chroot", path);
    }

    public static void chdir(String path) {
        pathCall(Arch.Nr.CHDIR, "chdir", path);
    }

    public static void fchdir(int fd) {
        try (Arena arena = Scratch.frame()) {
            MemorySegment errno = Libc.errnoSlot(arena);
            if (Libc.syscall(errno, Arch.Nr.FCHDIR, fd) != 0) throw Libc.failure(errno, "fchdir", fd);
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static void pathCall(Arch.Nr nr, String function, String path) {
        try (Arena arena = Scratch.frame()) {
            MemorySegment errno = Libc.errnoSlot(arena);
            if (Libc.syscall(errno, nr, Libc.cString(arena, path).address()) != 0) throw Libc.failure(errno, function, path);
        }
    }

    // struct statfs on LP64: f_type, f_bsize, f_blocks, f_bfree, f_bavail are the first five longs.
    private static StatFs statFs(MemorySegment buf) {
        byte[] b = Libc.bytes(buf, 40);
        return new StatFs(le64(b, 0), le64(b, 8), le64(b, 16), le64(b, 24), le64(b, 32));
    }

    // Little-endian fields of a struct copied out of native memory. The kernel's structs are in
    // the CPU's byte order, and every architecture liftoff supports (Arch) is little-endian.
    private static int le16(byte[] b, int at) {
        return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8;
    }

    private static int le32(byte[] b, int at) {
        return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8 | (b[at + 2] & 0xff) << 16 | b[at + 3] << 24;
    }

    private static long le64(byte[] b, int at) {
        return (le32(b, at) & 0xffffffffL) | (long) le32(b, at + 4) << 32;
    }

    private static Object dirName(int dirfd) {
        return dirfd == AT_FDCWD ? "AT_FDCWD" : dirfd;
    }

    private static String octal(int mode) {
        return "0" + Integer.toOctalString(mode);
    }
}
