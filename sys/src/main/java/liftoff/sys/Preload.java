package liftoff.sys;

import java.lang.invoke.MethodHandles;

/**
 * Loads the syscall layer's classes ahead of a root switch. After chroot the old root's paths are
 * gone: a class that the JVM has not read yet can no longer be found in a class directory or in a
 * jar that was not opened yet. Loading is cheap; the downcall handles themselves are still built
 * lazily on first use (that needs only the JDK's own image, which stays mapped), so the switch does
 * not pay for calls it never makes (linking every handle up front costs ~0.7 s under -Xint).
 */
public final class Preload {
    private Preload() {}

    public static void syscalls() {
        Class<?>[] families = {Fs.class, Mounts.class, Processes.class, Modules.class, Errno.class, KernelLog.class, Ioctl.class};
        for (Class<?> family : families) {
            family.getDeclaredClasses();   // loads every holder class (one per call) without linking it
        }
        MethodHandles.Lookup lookup = MethodHandles.lookup();
        try {
            for (Class<?> c : new Class<?>[] {Libc.class, Arch.class, SyscallException.class, Call.class, Flags.class,
                    Stat.class, StatFs.class, DirEntry.class, Processes.WaitStatus.class}) {
                lookup.ensureInitialized(c);
            }
        } catch (IllegalAccessException e) {
            throw new AssertionError("the syscall layer's own lookup reaches all its classes", e);
        }
    }
}
