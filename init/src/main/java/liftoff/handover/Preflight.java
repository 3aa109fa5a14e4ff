package liftoff.handover;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import liftoff.sys.Fs;
import liftoff.sys.SyscallException;

/**
 * The checks every hand-over makes before it changes anything, so that a mistake at the console
 * costs a message, not a machine: the new root must be a mount point and the init must be an
 * executable file inside it that this kernel can run (InitCheck).
 */
final class Preflight {
    private Preflight() {}

    /** The new root as an absolute, normalised path that is a mount point. */
    static Path requireMountPoint(String newRoot) throws HandoverException {
        Path root = Path.of(newRoot).toAbsolutePath().normalize();
        try {
            if (!Fs.lstat(root.toString()).isDirectory()) throw new HandoverException(root + " is not a directory");
        } catch (SyscallException e) {
            throw new HandoverException("cannot use " + root + " as the new root: " + e.getMessage());
        }
        if (root.equals(root.getRoot()) || !MountInfo.isMountPoint(root.toString())) {
            throw new HandoverException(root + " is not a mount point: mount the new root there first"
                    + " (for a directory, `mount --bind " + root + " " + root + "` makes it one)");
        }
        return root;
    }

    /** The init's real location under {@code root}, after checking it is an executable regular file. */
    static Path requireExecutableInside(Path root, String init) throws HandoverException {
        if (!init.startsWith("/")) throw new HandoverException("the init must be an absolute path inside the new root, not " + init);
        Path resolved = RootedPath.resolve(root, init);
        String where = resolved.equals(root.resolve(init.substring(1))) ? "" : " (resolved inside " + root + " to " + resolved + ")";
        if (!Files.exists(resolved, LinkOption.NOFOLLOW_LINKS)) {
            throw new HandoverException(init + " does not exist in the new root " + root + where);
        }
        if (!Files.isRegularFile(resolved, LinkOption.NOFOLLOW_LINKS)) {
            throw new HandoverException(init + " in the new root " + root + " is not a regular file" + where);
        }
        int mode = Fs.lstat(resolved.toString()).mode();
        if ((mode & 0111) == 0) {
            throw new HandoverException(init + " in the new root " + root + " is not executable (mode "
                    + String.format("%04o", mode & 07777) + ")" + where);
        }
        return resolved;
    }

    /** {@link #requireExecutableInside}, and then that the kernel can run it (InitCheck): its format, machine and every byte. */
    static Path requireRunnableInside(Path root, String init) throws HandoverException {
        Path resolved = requireExecutableInside(root, init);
        InitCheck.verify(root, init);
        return resolved;
    }

    /** Refuses relative --move paths: they would be resolved against whatever the cwd is. */
    static void requireAbsolute(List<String> moves) throws HandoverException {
        for (String m : moves) {
            if (!m.startsWith("/")) throw new HandoverException("--move takes absolute paths, not " + m);
        }
    }
}
