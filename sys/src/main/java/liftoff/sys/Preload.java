package liftoff.sys;

import java.lang.invoke.MethodHandles;

/**
 * Gets the syscall layer ready ahead of a root switch. After chroot the old root's paths are gone:
 * a class that the JVM has not read yet can no longer be found in a class directory or in a jar
 * that was not opened yet. Loading is cheap (about 10 ms); the syscall handle itself needs only the
 * JDK's own image, which stays mapped, and is built on first use.
 */
public final class Preload {
    private Preload() {}

    public static void syscalls() {
        MethodHandles.Lookup lookup = MethodHandles.lookup();
        try {
            for (Class<?> c : new Class<?>[] {Libc.class, Arch.class, Arch.Nr.class, Fs.class, Mounts.class, Processes.class,
                    Modules.class, UeventSocket.class, Uevent.class, Errno.class, KernelLog.class, Ioctl.class, SyscallException.class, Call.class, Flags.class,
                    Stat.class, StatFs.class, DirEntry.class, PathBytes.class, Processes.WaitStatus.class, Processes.Environ.class,
                    Scratch.class}) {
                lookup.ensureInitialized(c);
                c.getDeclaredClasses();   // and their holder classes, loaded but not yet initialised
            }
        } catch (IllegalAccessException e) {
            throw new AssertionError("the syscall layer's own lookup reaches all its classes", e);
        }
    }

    /**
     * Builds the downcall handles now (the syscall handle and the C library's errno names): the AOT
     * training run calls this so that the cache holds what they need and the boot's first call is
     * cheap.
     */
    public static void linkAll() {
        syscalls();
        Libc.link();
        Errno.name(Errno.ENOENT);
    }
}
