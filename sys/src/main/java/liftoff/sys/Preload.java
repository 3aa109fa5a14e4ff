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

    private static final Class<?>[] FAMILIES = {Fs.class, Mounts.class, Processes.class, Modules.class, Errno.class,
        KernelLog.class, Ioctl.class};

    public static void syscalls() {
        for (Class<?> family : FAMILIES) {
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

    /**
     * Builds every downcall handle now. Too slow for a boot (about 0.7 s under -Xint), but the AOT
     * training run calls it so that the cache holds what each handle needs, and the boot's first
     * calls become cheap.
     */
    public static void linkAll() {
        MethodHandles.Lookup lookup = MethodHandles.lookup();
        try {
            for (Class<?> family : FAMILIES) {
                lookup.ensureInitialized(family);
                for (Class<?> holder : family.getDeclaredClasses()) lookup.ensureInitialized(holder);
            }
        } catch (IllegalAccessException e) {
            throw new AssertionError("the syscall layer's own lookup reaches all its classes", e);
        }
    }
}
