package liftoff.handover;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import liftoff.sys.Errno;
import liftoff.sys.Fs;
import liftoff.sys.Mounts;
import liftoff.sys.SyscallException;

/**
 * Hand-over with pivot_root(2), for an early userspace that runs from a real filesystem (a boot
 * partition, as in "early userspace without an initramfs") rather than from rootfs: the old root
 * is attached under the new one, and its files are left alone because they are a disk's, not
 * memory's. {@link #run} then detaches it; {@link #keep} leaves it mounted for the new system.
 */
public final class PivotHandover {
    /** Where the old root is attached inside the new one until it is detached. */
    public static final String DEFAULT_PUT_OLD = "/.liftoff-oldroot";

    private PivotHandover() {}

    /** Pivots, detaches the old root (lazily) from {@code putOld}, and execs {@code init}. */
    public static void run(String newRoot, String init, List<String> args, List<String> extraMounts, String putOld,
                           Consumer<String> log) throws HandoverException {
        Preflight.requireAbsolute(extraMounts);
        Path root = Preflight.requireMountPoint(newRoot);
        Preflight.requireRunnableInside(root, init);
        requireNotRootfs();
        Path oldRootDir = below(root, putOld, "--put-old");
        boolean created = !Files.isDirectory(oldRootDir, LinkOption.NOFOLLOW_LINKS);

        ApiMounts.moveUnder(root, ApiMounts.withExtra(extraMounts), log);

        if (created) Fs.mkdirat(Fs.AT_FDCWD, oldRootDir.toString(), 0700);
        pivot(root, putOld, log);
        try {
            Mounts.umount(putOld, Mounts.MNT_DETACH);
            if (created) Fs.unlinkat(Fs.AT_FDCWD, putOld, Fs.AT_REMOVEDIR);
        } catch (SyscallException e) {
            log.accept("the old root stays attached at " + putOld + ": " + e.getMessage());
        }
        Exec.init(init, args, null, log);
    }

    /**
     * Pivots, leaves the old root mounted at {@code keepAt} inside the new root, and execs
     * {@code init}: nothing of the old root is written, unmounted or deleted. {@code keepAt} must be
     * a directory of the new root, or lie below one of the API mounts that move into it (/run),
     * where it is made before the move: the new root itself may be read-only.
     */
    public static void keep(String newRoot, String init, List<String> args, List<String> extraMounts, String keepAt,
                            Consumer<String> log) throws HandoverException {
        Preflight.requireAbsolute(extraMounts);
        Path root = Preflight.requireMountPoint(newRoot);
        Preflight.requireExecutableInside(root, init);
        requireNotRootfs();
        below(root, keepAt, "the old root's mount point");
        String putOld = mountPointFor(root, keepAt);

        ApiMounts.moveUnder(root, ApiMounts.withExtra(extraMounts), log);

        pivot(root, putOld, log);
        log.accept("the old root stays mounted at " + putOld);
        Exec.init(init, args, null, log);
    }

    /**
     * The path, inside the new root, to attach the old root at: below a moved API mount it is made
     * there now; elsewhere it must be a directory of the new root (symlinks resolved inside it).
     */
    private static String mountPointFor(Path root, String keepAt) throws HandoverException {
        for (String api : ApiMounts.STANDARD) {
            if (!keepAt.startsWith(api + "/") || !MountInfo.isMountPoint(api)) continue;
            String why = ApiMounts.targetProblem(root.resolve(api.substring(1)), Fs.lstat(root.toString()));
            if (why != null) throw new HandoverException("cannot keep the old root at " + keepAt + ": " + api + " will not move there: " + why);
            try {
                Files.createDirectories(Path.of(keepAt));
            } catch (IOException e) {
                throw new HandoverException("cannot make " + keepAt + " to keep the old root at: " + e.getMessage());
            }
            return keepAt;
        }
        Path resolved = RootedPath.resolve(root, keepAt);
        if (!Files.isDirectory(resolved, LinkOption.NOFOLLOW_LINKS)) {
            throw new HandoverException("cannot keep the old root at " + keepAt + ": " + resolved + " is not a directory in the new root"
                    + " (make it there, or use a path under /run)");
        }
        return "/" + root.relativize(resolved);
    }

    /** {@code path} inside the new root, refused unless it is absolute and strictly below it. */
    private static Path below(Path root, String path, String what) throws HandoverException {
        if (!path.startsWith("/")) throw new HandoverException(what + " is a path inside the new root and starts with /, not " + path);
        Path inside = root.resolve(path.substring(1)).normalize();
        if (!inside.startsWith(root) || inside.equals(root)) {
            throw new HandoverException(what + " " + path + " must name a directory below the new root");
        }
        return inside;
    }

    /** Makes {@code root} the root with the old one attached at {@code putOld} (a path inside {@code root}). */
    private static void pivot(Path root, String putOld, Consumer<String> log) {
        RootChange.prepare();
        Fs.chdir(root.toString());
        try {
            Mounts.pivotRoot(".", "." + putOld);
        } catch (SyscallException e) {
            if (e.errno() == Errno.EINVAL) {
                log.accept("pivot_root refuses a shared mount as the new root's parent or as the current root;"
                        + " make them private first (mount --make-rprivate /)");
            }
            throw e;
        }
        Fs.chroot(".");
        Fs.chdir("/");
    }

    /** rootfs can never be pivoted away from (the kernel returns EINVAL): say why up front. */
    private static void requireNotRootfs() throws HandoverException {
        for (MountInfo m : MountInfo.read()) {
            if (m.mountPoint().equals("/") && m.fsType().equals("rootfs")) {
                throw new HandoverException("the current root is the initramfs (rootfs), which pivot_root cannot"
                        + " move: use the default mode, or --via-tmpfs first");
            }
        }
    }
}
