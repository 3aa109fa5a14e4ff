package liftoff.cpio;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.file.Path;

/** {@link NativeFiles} calling glibc's *at(2) functions through java.lang.foreign, errno captured per call. */
final class GlibcFiles implements NativeFiles {
    static final GlibcFiles INSTANCE = new GlibcFiles();

    private static final int AT_FDCWD = -100;
    private static final int AT_SYMLINK_NOFOLLOW = 0x100;
    /** timespec.tv_nsec value that leaves a time unchanged. */
    private static final long UTIME_OMIT = (1L << 30) - 2;
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    private GlibcFiles() {}

    /** The downcall handles, built on first use: linking them costs about 120 ms, paid only by images with nodes. */
    private static final class Calls {
        static final MethodHandle MKNODAT = downcall("mknodat", INT, ValueLayout.ADDRESS, INT, ValueLayout.JAVA_LONG);
        static final MethodHandle FCHMODAT = downcall("fchmodat", INT, ValueLayout.ADDRESS, INT, INT);
        static final MethodHandle FCHOWNAT = downcall("fchownat", INT, ValueLayout.ADDRESS, INT, INT, INT);
        static final MethodHandle UTIMENSAT = downcall("utimensat", INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS, INT);
        static final MethodHandle STRERROR = LINKER.downcallHandle(LINKER.defaultLookup().find("strerror").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.ADDRESS.withTargetLayout(MemoryLayout.sequenceLayout(256, ValueLayout.JAVA_BYTE)), INT));
    }

    /** A handle for {@code int name(int dirfd, ...)} that records errno. */
    private static MethodHandle downcall(String name, MemoryLayout... args) {
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(),
                FunctionDescriptor.of(INT, args), Linker.Option.captureCallState("errno"));
    }

    @Override
    public void mknod(Path path, int mode, int major, int minor) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            int rc = (int) Calls.MKNODAT.invokeExact(state, AT_FDCWD, cPath(arena, path), mode, makedev(major, minor));
            check(rc, state, path, "mknod");
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    @Override
    public void setMetadata(Path path, Entry e, boolean chown) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            MemorySegment name = cPath(arena, path);
            if (chown) {
                int rc = (int) Calls.FCHOWNAT.invokeExact(state, AT_FDCWD, name, (int) e.uid(), (int) e.gid(), AT_SYMLINK_NOFOLLOW);
                check(rc, state, path, "chown");
            }
            check((int) Calls.FCHMODAT.invokeExact(state, AT_FDCWD, name, e.permissions(), 0), state, path, "chmod");
            MemorySegment times = arena.allocate(ValueLayout.JAVA_LONG, 4);  // {atime, mtime} as timespecs
            times.setAtIndex(ValueLayout.JAVA_LONG, 1, UTIME_OMIT);
            times.setAtIndex(ValueLayout.JAVA_LONG, 2, e.mtime());
            check((int) Calls.UTIMENSAT.invokeExact(state, AT_FDCWD, name, times, AT_SYMLINK_NOFOLLOW), state, path, "utimensat");
        } catch (IOException | RuntimeException | Error x) {
            throw x;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private static MemorySegment cPath(Arena arena, Path path) {
        byte[] name = FsNames.bytes(path.toAbsolutePath());
        MemorySegment c = arena.allocate(name.length + 1);
        MemorySegment.copy(name, 0, c, ValueLayout.JAVA_BYTE, 0, name.length);
        return c;
    }

    private static void check(int rc, MemorySegment state, Path path, String call) throws Throwable {
        if (rc == 0) return;
        int errno = (int) ERRNO.get(state, 0L);
        MemorySegment message = (MemorySegment) Calls.STRERROR.invokeExact(errno);
        throw new IOException(path + ": " + call + ": " + message.getString(0));
    }

    /** glibc's makedev: 12 bits of major and 20 of minor, split around the old 8/8 layout. */
    static long makedev(long major, long minor) {
        return (minor & 0xff) | ((major & 0xfff) << 8) | ((minor & ~0xffL) << 12) | ((major & ~0xfffL) << 32);
    }
}
