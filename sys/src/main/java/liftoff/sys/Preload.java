package liftoff.sys;

import java.lang.invoke.MethodHandles;

/**
 * Loads and links the syscall layer ahead of a root switch. After chroot the old root's paths are
 * gone: a class that the JVM has not loaded yet can no longer be read from a class directory, and
 * a downcall handle that is built lazily may need one. Whoever switches roots calls this first.
 */
public final class Preload {
    private Preload() {}

    /** Initializes every syscall family with all its downcall handles, and the error path. */
    public static void syscalls() {
        MethodHandles.Lookup lookup = MethodHandles.lookup();
        Class<?>[] families = {Fs.class, Mounts.class, Processes.class, Modules.class, Errno.class};
        try {
            for (Class<?> family : families) {
                lookup.ensureInitialized(family);
                for (Class<?> nested : family.getDeclaredClasses()) lookup.ensureInitialized(nested);
            }
            for (Class<?> c : new Class<?>[] {SyscallException.class, Call.class, Flags.class, Stat.class, StatFs.class, DirEntry.class}) {
                lookup.ensureInitialized(c);
            }
        } catch (IllegalAccessException e) {
            throw new AssertionError("the syscall layer's own lookup reaches all its classes", e);
        }
        // The error path renders names through the C library: link it now, not at the first failure.
        Errno.name(Errno.ENOENT);
    }
}
