package liftoff.handover;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import liftoff.sys.DirEntry;
import liftoff.sys.Errno;
import liftoff.sys.Fs;
import liftoff.sys.PathBytes;
import liftoff.sys.Stat;
import liftoff.sys.SyscallException;

/**
 * Moves a directory tree to another filesystem one file at a time: each file is copied in the
 * kernel and its original deleted at once, so memory is never held twice. Works on descriptors and
 * raw name bytes (names need not be UTF-8, and the initramfs has no locale), keeps owners, modes,
 * times and hard links, never follows a symlink, and never enters another mount.
 */
final class TreeMover {
    private final int targetRootFd;
    private final Stat source;
    private final Consumer<String> log;
    private final Map<Long, byte[]> firstCopyOfInode = new HashMap<>();

    private TreeMover(int sourceRootFd, int targetRootFd, Consumer<String> log) {
        this.source = Fs.fstat(sourceRootFd);
        this.targetRootFd = targetRootFd;
        this.log = log;
    }

    /**
     * Moves the contents of the directory open at {@code sourceRootFd} into the one open at
     * {@code targetRootFd}, skipping the top-level entry {@code skip} (where the target is mounted).
     */
    static void moveContents(int sourceRootFd, int targetRootFd, byte[] skip, Consumer<String> log) {
        TreeMover mover = new TreeMover(sourceRootFd, targetRootFd, log);
        mover.moveDirectory(sourceRootFd, targetRootFd, new byte[0], skip);
    }

    private void moveDirectory(int from, int to, byte[] relative, byte[] skip) {
        for (DirEntry entry : Fs.readDirectory(from)) {
            if (entry.isDotOrDotDot() || Arrays.equals(entry.name(), skip)) continue;
            byte[] name = entry.name();
            byte[] path = PathBytes.join(relative, name);
            try {
                Stat st = Fs.stat(from, name, Fs.AT_SYMLINK_NOFOLLOW);
                if (!st.sameMount(source)) continue;   // a mount point left behind: not ours to move
                if (st.isDirectory()) {
                    moveSubdirectory(from, to, name, path, st);
                } else {
                    moveFile(from, to, name, path, st);
                }
            } catch (SyscallException e) {
                log.accept("could not move /" + new String(path, StandardCharsets.UTF_8) + ": " + e.getMessage());
            }
        }
    }

    private void moveSubdirectory(int from, int to, byte[] name, byte[] path, Stat st) {
        Stat existing = statOrNull(to, name);
        if (existing != null && !existing.isDirectory()) throw new SyscallException(Errno.ENOTDIR, "mkdirat(\"/" + new String(path, StandardCharsets.UTF_8) + "\")");
        if (existing == null) {
            Fs.mkdirat(to, name, 0700);
        } else if (!existing.sameMount(Fs.fstat(to))) {
            // A mount that was moved here already sits on this name: the source is its old mount point.
            // What the image put under it (/dev/console and /dev/null below devtmpfs) was hidden by
            // that mount all along and would be hidden by it again: it is deleted, not moved.
            int shadowed = Fs.openDirectory(from, name);
            try {
                OldRootCleaner.deleteContents(shadowed, log);
            } finally {
                Fs.close(shadowed);
            }
            Fs.unlinkat(from, name, Fs.AT_REMOVEDIR);
            return;
        }
        int sub = Fs.openDirectory(from, name);
        int dest = Fs.openDirectory(to, name);
        try {
            moveDirectory(sub, dest, path, null);
        } finally {
            Fs.close(sub);
            Fs.close(dest);
        }
        copyMetadata(to, name, st);   // after the contents, or their creation would touch the mtime
        Fs.unlinkat(from, name, Fs.AT_REMOVEDIR);
    }

    private void moveFile(int from, int to, byte[] name, byte[] path, Stat st) {
        int type = st.mode() & Stat.S_IFMT;
        byte[] firstCopy = st.nlink() > 1 ? firstCopyOfInode.get(st.ino()) : null;
        if (firstCopy != null) {
            Fs.linkat(targetRootFd, firstCopy, to, name);
        } else {
            if (type == Stat.S_IFREG) {
                copyRegularFile(from, to, name, st);
            } else if (type == Stat.S_IFLNK) {
                Fs.symlinkat(Fs.readlinkat(from, name), to, name);
            } else {
                Fs.mknodat(to, name, st.mode(), st.rdev());
            }
            copyMetadata(to, name, st);
            if (st.nlink() > 1) firstCopyOfInode.put(st.ino(), path);
        }
        Fs.unlinkat(from, name, 0);
    }

    private static void copyRegularFile(int from, int to, byte[] name, Stat st) {
        int in = Fs.openat(from, name, Fs.O_RDONLY | Fs.O_NOFOLLOW | Fs.O_CLOEXEC, 0);
        try {
            int out = Fs.openat(to, name, Fs.O_WRONLY | Fs.O_CREAT | Fs.O_EXCL | Fs.O_NOFOLLOW | Fs.O_CLOEXEC, 0600);
            try {
                Fs.copyContents(in, out, st.size());
            } finally {
                Fs.close(out);
            }
        } finally {
            Fs.close(in);
        }
    }

    private static void copyMetadata(int dir, byte[] name, Stat st) {
        Fs.fchownat(dir, name, st.uid(), st.gid(), Fs.AT_SYMLINK_NOFOLLOW);
        if (!st.isSymlink()) Fs.fchmodat(dir, name, st.permissions());   // after chown, which clears setuid
        Fs.setTimes(dir, name, st.mtimeSeconds(), st.mtimeNanos());
    }

    private static Stat statOrNull(int dir, byte[] name) {
        try {
            return Fs.stat(dir, name, Fs.AT_SYMLINK_NOFOLLOW);
        } catch (SyscallException e) {
            if (e.errno() == Errno.ENOENT) return null;
            throw e;
        }
    }
}
