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

/** {@link NodeMaker} calling glibc's mknodat(2) through java.lang.foreign, errno captured per call. */
final class GlibcNodeMaker implements NodeMaker {
    static final GlibcNodeMaker INSTANCE = new GlibcNodeMaker();

    private static final int AT_FDCWD = -100;
    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO =
            CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final MethodHandle MKNODAT = LINKER.downcallHandle(
            LINKER.defaultLookup().find("mknodat").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS,
                    ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG),
            Linker.Option.captureCallState("errno"));
    private static final MethodHandle STRERROR = LINKER.downcallHandle(
            LINKER.defaultLookup().find("strerror").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.ADDRESS.withTargetLayout(MemoryLayout.sequenceLayout(256, ValueLayout.JAVA_BYTE)),
                    ValueLayout.JAVA_INT));

    private GlibcNodeMaker() {}

    @Override
    public void mknod(Path path, int mode, int major, int minor) throws IOException {
        byte[] name = FsNames.bytes(path.toAbsolutePath());
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cName = arena.allocate(name.length + 1);
            MemorySegment.copy(name, 0, cName, ValueLayout.JAVA_BYTE, 0, name.length);
            MemorySegment state = arena.allocate(CALL_STATE);
            int rc = (int) MKNODAT.invokeExact(state, AT_FDCWD, cName, mode, makedev(major, minor));
            if (rc != 0) {
                int errno = (int) ERRNO.get(state, 0L);
                throw new IOException(path + ": mknod: " + strerror(errno));
            }
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("mknodat downcall failed", t);
        }
    }

    /** glibc's makedev: 12 bits of major and 20 of minor, split around the old 8/8 layout. */
    static long makedev(long major, long minor) {
        return (minor & 0xff) | ((major & 0xfff) << 8) | ((minor & ~0xffL) << 12) | ((major & ~0xfffL) << 32);
    }

    private static String strerror(int errno) throws Throwable {
        MemorySegment s = (MemorySegment) STRERROR.invokeExact(errno);
        return s.getString(0);
    }
}
