package liftoff.handover;

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
 * is attached under the new one, then detached, and its files are left alone because they are a
 * disk's, not memory's.
 */
public final class PivotHandover {
    /** Where the old root is attached inside the new one until it is detached. */
    public static final String DEFAULT_PUT_OLD = "/.liftoff-oldroot";

    private PivotHandover() {}

    public static void run(String newRoot, String init, List<String> args, List<String> extraMounts, String putOld,
                           Consumer<String> log) throws HandoverException {
        Preflight.requireAbsolute(extraMounts);
        Path root = Preflight.requireMountPoint(newRoot);
        Preflight.requireRunnableInside(root, init);
        requireNotRootfs();
        if (!putOld.startsWith("/")) throw new HandoverException("--put-old is a path inside the new root and starts with /, not " + putOld);
        Path oldRootDir = root.resolve(putOld.substring(1)).normalize();
        if (!oldRootDir.startsWith(root) || oldRootDir.equals(root)) {
            throw new HandoverException("--put-old " + putOld + " must name a directory below the new root");
        }
        boolean created = !Files.isDirectory(oldRootDir, LinkOption.NOFOLLOW_LINKS);

        ApiMounts.moveUnder(root, ApiMounts.withExtra(extraMounts), log);

        if (created) Fs.mkdirat(Fs.AT_FDCWD, oldRootDir.toString(), 0700);
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
        try {
            Mounts.umount(putOld, Mounts.MNT_DETACH);
            if (created) Fs.unlinkat(Fs.AT_FDCWD, putOld, Fs.AT_REMOVEDIR);
        } catch (SyscallException e) {
            log.accept("the old root stays attached at " + putOld + ": " + e.getMessage());
        }
        Exec.init(init, args, null, log);
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
