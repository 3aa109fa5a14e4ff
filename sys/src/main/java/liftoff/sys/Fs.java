package liftoff.sys;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
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
    private static final int DIRENT_BUFFER = 32 * 1024;
    private static final int PATH_MAX = 4096;

    private Fs() {}

    public static int openat(int dirfd, String path, int flags, int mode) {
        return openat(dirfd, utf8(path), flags, mode);
    }

    public static int openat(int dirfd, byte[] path, int flags, int mode) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errno = Libc.errnoSlot(arena);
            int fd = (int) Openat.H.invokeExact(errno, dirfd, Libc.cString(arena, path), flags, mode);
            if (fd < 0) throw Libc.failure(errno, "openat", dirName(dirfd), path, "0x" + Integer.toHexString(flags));
            return fd;
        } catch (Throwable t) {
            throw Libc.rethrow(t);
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
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errno = Libc.errnoSlot(arena);
            int rc = (int) Close.H.invokeExact(errno, fd);
            if (rc != 0) throw Libc.failure(errno, "close", fd);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** All entries of an open directory, "." and ".." included, in the order the kernel gives. */
    public static List<DirEntry> readDirectory(int fd) {
        List<DirEntry> entries = new ArrayList<>();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errno = Libc.errnoSlot(arena);
            MemorySegment buffer = arena.allocate(DIRENT_BUFFER, 8);
            while (true) {
                long n = (long) Getdents64.H.invokeExact(errno, fd, buffer, (long) DIRENT_BUFFER);
                if (n < 0) throw Libc.failure(errno, "getdents64", fd);
                if (n == 0) return entries;
                // struct linux_dirent64 { u64 d_ino; s64 d_off; u16 d_reclen; u8 d_type; char d_name[]; }
                for (long at = 0; at < n; ) {
                    long ino = buffer.get(JAVA_LONG, at);
                    int reclen = Short.toUnsignedInt(buffer.get(JAVA_SHORT, at + 16));
                    int type = Byte.toUnsignedInt(buffer.get(JAVA_BYTE, at + 18));
                    long nameStart = at + 19;
                    long nameEnd = nameStart;
                    while (buffer.get(JAVA_BYTE, nameEnd) != 0) nameEnd++;
                    byte[] name = buffer.asSlice(nameStart, nameEnd - nameStart).toArray(JAVA_BYTE);
                    entries.add(new DirEntry(ino, type, name));
                    at += reclen;
                }
            }
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** unlinkat(2); with {@link #AT_REMOVEDIR} it removes an empty directory. */
    public static void unlinkat(int dirfd, byte[] name, int flags) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errno = Libc.errnoSlot(arena);
            int rc = (int) Unlinkat.H.invokeExact(errno, dirfd, Libc.cString(arena, name), flags);
            if (rc != 0) throw Libc.failure(errno, "unlinkat", dirName(dirfd), name, flags == AT_REMOVEDIR ? "AT_REMOVEDIR" : flags);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    public static void unlinkat(int dirfd, String path, int flags) {
        unlinkat(dirfd, utf8(path), flags);
    }

    public static void mkdirat(int dirfd, String path, int mode) {
        mkdirat(dirfd, utf8(path), mode);
    }

    public static void mkdirat(int dirfd, byte[] path, int mode) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errno = Libc.errnoSlot(arena);
            int rc = (int) Mkdirat.H.invokeExact(errno, dirfd, Libc.cString(arena, path), mode);
            if (rc != 0) throw Libc.failure(errno, "mkdirat", dirName(dirfd), path, octal(mode));
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** mknodat(2): {@code mode} holds the file type (S_IFCHR, S_IFBLK, S_IFIFO...) and permissions. */
    public static void mknodat(int dirfd, String path, int mode, long dev) {
        mknodat(dirfd, utf8(path), mode, dev);
    }

    public static void mknodat(int dirfd, byte[] path, int mode, long dev) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errno = Libc.errnoSlot(arena);
            int rc = (int) Mknodat.H.invokeExact(errno, dirfd, Libc.cString(arena, path), mode, dev);
            if (rc != 0) {
                throw Libc.failure(errno, "mknodat", dirName(dirfd), path, octal(mode),
                        Stat.major(dev) + ":" + Stat.minor(dev));
            }
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    public static void symlinkat(String target, int dirfd, String linkPath) {
        symlinkat(utf8(target), dirfd, utf8(linkPath));
    }

    public static void symlinkat(byte[] target, int dirfd, byte[] linkPath) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errno = Libc.errnoSlot(arena);
            int rc = (int) Symlinkat.H.invokeExact(errno, Libc.cString(arena, target), dirfd, Libc.cString(arena, linkPath));
            if (rc != 0) throw Libc.failure(errno, "symlinkat", target, dirName(dirfd), linkPath);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** readlinkat(2): the raw target bytes of a symlink. */
    public static byte[] readlinkat(int dirfd, byte[] path) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errno = Libc.errnoSlot(arena);
            MemorySegment buf = arena.allocate(PATH_MAX);
            long n = (long) Readlinkat.H.invokeExact(errno, dirfd, Libc.cString(arena, path), buf, (long) PATH_MAX);
            if (n < 0) throw Libc.failure(errno, "readlinkat", dirName(dirfd), path);
            return buf.asSlice(0, n).toArray(JAVA_BYTE);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** linkat(2): a hard link {@code newPath} (under {@code newDirfd}) to {@code oldPath}. */
    public static void linkat(int oldDirfd, byte[] oldPath, int newDirfd, byte[] newPath) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errno = Libc.errnoSlot(arena);
            int rc = (int) Linkat.H.invokeExact(errno, oldDirfd, Libc.cString(arena, oldPath), newDirfd,
                    Libc.cString(arena, newPath), 0);
            if (rc != 0) throw Libc.failure(errno, "linkat", dirName(oldDirfd), oldPath, dirName(newDirfd), newPath);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** fchownat(2); with {@link #AT_SYMLINK_NOFOLLOW} it changes a symlink itself. */
    public static void fchownat(int dirfd, byte[] path, int uid, int gid, int flags) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errno = Libc.errnoSlot(arena);
            int rc = (int) Fchownat.H.invokeExact(errno, dirfd, Libc.cString(arena, path), uid, gid, flags);
            if (rc != 0) throw Libc.failure(errno, "fchownat", dirName(dirfd), path, uid, gid, flags);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** fchmodat(2) of a file that is not a symlink (Linux cannot change a symlink's mode). */
    public static void fchmodat(int dirfd, byte[] path, int mode) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errno = Libc.errnoSlot(arena);
            int rc = (int) Fchmodat.H.invokeExact(errno, dirfd, Libc.cString(arena, path), mode, 0);
            if (rc != 0) throw Libc.failure(errno, "fchmodat", dirName(dirfd), path, octal(mode));
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** utimensat(2): sets both access and modification time; a final symlink is not followed. */
    public static void setTimes(int dirfd, byte[] path, long seconds, int nanos) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errno = Libc.errnoSlot(arena);
            MemorySegment times = arena.allocate(32, 8);   // struct timespec[2] on LP64
            times.set(JAVA_LONG, 0, seconds);
            times.set(JAVA_LONG, 8, nanos);
            times.set(JAVA_LONG, 16, seconds);
            times.set(JAVA_LONG, 24, nanos);
            int rc = (int) Utimensat.H.invokeExact(errno, dirfd, Libc.cString(arena, path), times, AT_SYMLINK_NOFOLLOW);
            if (rc != 0) throw Libc.failure(errno, "utimensat", dirName(dirfd), path, seconds);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** Copies {@code count} bytes from {@code in} to {@code out} in the kernel (sendfile(2)). */
    public static void copyContents(int in, int out, long count) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errno = Libc.errnoSlot(arena);
            long left = count;
            while (left > 0) {
                long n = (long) Sendfile.H.invokeExact(errno, out, in, MemorySegment.NULL, Math.min(left, 1L << 30));
                if (n < 0) throw Libc.failure(errno, "sendfile", out, in, left);
                if (n == 0) break;   // the file shrank under us: copy what there is
                left -= n;
            }
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** statx(2) of {@code path} relative to {@code dirfd}; pass {@link #AT_SYMLINK_NOFOLLOW} for lstat. */
    public static Stat stat(int dirfd, byte[] path, int flags) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errno = Libc.errnoSlot(arena);
            MemorySegment buf = arena.allocate(STATX_SIZE, 8);
            int rc = (int) Statx.H.invokeExact(errno, dirfd, Libc.cString(arena, path), flags,
                    STATX_BASIC_STATS | STATX_MNT_ID, buf);
            if (rc != 0) throw Libc.failure(errno, "statx", dirName(dirfd), path, flags);
            // struct statx: see linux/stat.h; offsets are the same on every architecture.
            int mask = buf.get(JAVA_INT, 0);
            int nlink = buf.get(JAVA_INT, 16);
            int uid = buf.get(JAVA_INT, 20);
            int gid = buf.get(JAVA_INT, 24);
            int mode = Short.toUnsignedInt(buf.get(JAVA_SHORT, 28));
            long ino = buf.get(JAVA_LONG, 32);
            long size = buf.get(JAVA_LONG, 40);
            long mtime = buf.get(JAVA_LONG, 112);
            int mtimeNanos = buf.get(JAVA_INT, 120);
            long rdev = Stat.makedev(buf.get(JAVA_INT, 128), buf.get(JAVA_INT, 132));
            long dev = Stat.makedev(buf.get(JAVA_INT, 136), buf.get(JAVA_INT, 140));
            long mountId = (mask & STATX_MNT_ID) != 0 ? buf.get(JAVA_LONG, 144) : -1;
            return new Stat(dev, ino, mode, Integer.toUnsignedLong(nlink), uid, gid, size, rdev, mtime, mtimeNanos, mountId);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
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
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errno = Libc.errnoSlot(arena);
            MemorySegment buf = arena.allocate(STATFS_SIZE, 8);
            int rc = (int) Statfs.H.invokeExact(errno, Libc.cString(arena, path), buf);
            if (rc != 0) throw Libc.failure(errno, "statfs", path);
            return statFs(buf);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    public static StatFs fstatfs(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errno = Libc.errnoSlot(arena);
            MemorySegment buf = arena.allocate(STATFS_SIZE, 8);
            int rc = (int) Fstatfs.H.invokeExact(errno, fd, buf);
            if (rc != 0) throw Libc.failure(errno, "fstatfs", fd);
            return statFs(buf);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    public static void chroot(String path) {
        pathCall(Chroot.H, "chroot", path);
    }

    public static void chdir(String path) {
        pathCall(Chdir.H, "chdir", path);
    }

    public static void fchdir(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errno = Libc.errnoSlot(arena);
            int rc = (int) Fchdir.H.invokeExact(errno, fd);
            if (rc != 0) throw Libc.failure(errno, "fchdir", fd);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static void pathCall(MethodHandle handle, String function, String path) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errno = Libc.errnoSlot(arena);
            int rc = (int) handle.invokeExact(errno, Libc.cString(arena, path));
            if (rc != 0) throw Libc.failure(errno, function, path);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    // struct statfs on LP64: f_type, f_bsize, f_blocks, f_bfree, f_bavail are the first five longs.
    private static StatFs statFs(MemorySegment buf) {
        return new StatFs(buf.get(JAVA_LONG, 0), buf.get(JAVA_LONG, 8), buf.get(JAVA_LONG, 16),
                buf.get(JAVA_LONG, 24), buf.get(JAVA_LONG, 32));
    }

    private static Object dirName(int dirfd) {
        return dirfd == AT_FDCWD ? "AT_FDCWD" : dirfd;
    }

    private static String octal(int mode) {
        return "0" + Integer.toOctalString(mode);
    }

    private static final class Openat {
        static final MethodHandle H = Libc.downcall("openat",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT),
                java.lang.foreign.Linker.Option.firstVariadicArg(3));
    }

    private static final class Close {
        static final MethodHandle H = Libc.downcall("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    }

    private static final class Getdents64 {
        static final MethodHandle H = Libc.downcall("getdents64",
                FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    }

    private static final class Unlinkat {
        static final MethodHandle H = Libc.downcall("unlinkat",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    }

    private static final class Mkdirat {
        static final MethodHandle H = Libc.downcall("mkdirat",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    }

    private static final class Mknodat {
        static final MethodHandle H = Libc.downcall("mknodat",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_LONG));
    }

    private static final class Symlinkat {
        static final MethodHandle H = Libc.downcall("symlinkat",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS));
    }

    private static final class Statx {
        static final MethodHandle H = Libc.downcall("statx",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS));
    }

    private static final class Statfs {
        static final MethodHandle H = Libc.downcall("statfs", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    }

    private static final class Fstatfs {
        static final MethodHandle H = Libc.downcall("fstatfs", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));
    }

    private static final class Chroot {
        static final MethodHandle H = Libc.downcall("chroot", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    }

    private static final class Chdir {
        static final MethodHandle H = Libc.downcall("chdir", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    }

    private static final class Fchdir {
        static final MethodHandle H = Libc.downcall("fchdir", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    }

    private static final class Readlinkat {
        static final MethodHandle H = Libc.downcall("readlinkat",
                FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG));
    }

    private static final class Linkat {
        static final MethodHandle H = Libc.downcall("linkat",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT));
    }

    private static final class Fchownat {
        static final MethodHandle H = Libc.downcall("fchownat",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT));
    }

    private static final class Fchmodat {
        static final MethodHandle H = Libc.downcall("fchmodat",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
    }

    private static final class Utimensat {
        static final MethodHandle H = Libc.downcall("utimensat",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
    }

    private static final class Sendfile {
        static final MethodHandle H = Libc.downcall("sendfile",
                FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_INT, ADDRESS, JAVA_LONG));
    }
}
