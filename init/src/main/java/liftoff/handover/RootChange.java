package liftoff.handover;

import java.lang.invoke.MethodHandles;
import java.nio.file.Path;
import liftoff.sys.Fs;
import liftoff.sys.Mounts;
import liftoff.sys.Preload;

/**
 * The moment the root changes. Whatever runs after it must already be loaded: once chroot has
 * happened (or the old root's mounts have moved away), a class in a directory or in a jar not yet
 * opened can no longer be found, and a downcall handle built lazily may need one.
 */
final class RootChange {
    private RootChange() {}

    /** Loads and links everything the hand-overs run after the switch. Idempotent and cheap to repeat. */
    static void prepare() {
        Preload.syscalls();
        MethodHandles.Lookup lookup = MethodHandles.lookup();
        try {
            for (Class<?> c : new Class<?>[] {OldRootCleaner.class, Exec.class, MountInfo.class, TreeMover.class}) {
                lookup.ensureInitialized(c);
                for (Class<?> nested : c.getDeclaredClasses()) lookup.ensureInitialized(nested);
            }
        } catch (IllegalAccessException e) {
            throw new AssertionError("the package's own lookup reaches its classes", e);
        }
    }

    /** Makes the mount at {@code root} the root of this process: chdir, MS_MOVE onto /, chroot. */
    static void enter(Path root) {
        prepare();
        Fs.chdir(root.toString());
        Mounts.move(".", "/");
        Fs.chroot(".");
        Fs.chdir("/");
    }
}
