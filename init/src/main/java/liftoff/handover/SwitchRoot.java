package liftoff.handover;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import liftoff.sys.Fs;
import liftoff.sys.StatFs;

/**
 * The classic switch_root: make a mounted new root the root of the system and empty the initramfs
 * behind it, as util-linux does. rootfs cannot be unmounted or pivoted away from (the kernel
 * forbids it), so the new root is moved on top of it and the old files are deleted to free the
 * memory they hold.
 */
public final class SwitchRoot {
    private SwitchRoot() {}

    /** Refuses, as {@link #run} would, an init that is not an executable file inside {@code newRoot}. */
    public static void checkInit(String newRoot, String init) throws HandoverException {
        Preflight.requireExecutableInside(Path.of(newRoot), init);
    }

    /**
     * Refuses an init the kernel could not run after the switch ({@link InitCheck}): not an ELF for
     * this machine nor a #! script, an interpreter missing or unrunnable, a byte of it unreadable.
     */
    public static void checkInitRuns(String newRoot, String init) throws HandoverException {
        InitCheck.verify(Path.of(newRoot), init);
    }

    /**
     * Switches to {@code newRoot} and execs {@code init} with {@code args}. Refuses with a
     * {@link HandoverException}, having changed nothing, when the checks fail; returns normally only
     * when the final exec failed in a process that is not PID 1.
     */
    public static void run(String newRoot, String init, List<String> args, List<String> extraMounts,
                           Consumer<String> log) throws HandoverException {
        Preflight.requireAbsolute(extraMounts);
        Path root = Preflight.requireMountPoint(newRoot);
        Preflight.requireRunnableInside(root, init);

        ApiMounts.moveUnder(root, ApiMounts.withExtra(extraMounts), log);

        // Opened before the move: afterwards no path reaches the old root's files.
        int oldRoot = Fs.openDirectory("/");
        try {
            StatFs oldFs = Fs.fstatfs(oldRoot);
            RootChange.enter(root);
            if (oldFs.isRamBacked()) {
                log.accept("old root emptied: " + OldRootCleaner.deleteContents(oldRoot, log));
            } else {
                log.accept("the old root is " + oldFs.typeName() + ", not an initramfs (ramfs/tmpfs): its files are kept");
            }
        } finally {
            Fs.close(oldRoot);
        }
        Exec.init(init, args, null, log);
    }
}
