package liftoff.handover;

import java.util.function.Consumer;
import liftoff.sys.DirEntry;
import liftoff.sys.Errno;
import liftoff.sys.Fs;
import liftoff.sys.Stat;
import liftoff.sys.SyscallException;

/**
 * Empties the old root after the switch, to give its memory back. Everything happens through
 * directory descriptors opened without following symlinks, starting from the descriptor opened
 * before the switch: once the new root covers /, no path names the old files any more.
 *
 * <p>It never leaves the old root's own mount: a directory whose device or mount id differs is a
 * mount point (a bind mount, a USB stick someone mounted in the rescue shell) and is skipped with
 * everything under it; a file with something bound onto it is kept (unlink answers EBUSY). A
 * symlink is removed, never followed.
 */
public final class OldRootCleaner {
    private final Stat root;
    private final Consumer<String> log;
    private int removed;
    private int mountPointsKept;
    private int failures;

    /** What the delete did, for the log. */
    public record Outcome(int removed, int mountPointsKept, int failures) {
        @Override
        public String toString() {
            return removed + " entries removed, " + mountPointsKept + " mount points kept, " + failures + " failures";
        }
    }

    private OldRootCleaner(Stat root, Consumer<String> log) {
        this.root = root;
        this.log = log;
    }

    /**
     * Deletes the contents of the directory open at {@code rootFd} (not the directory itself).
     * Every entry that could not be removed is logged and counted.
     */
    public static Outcome deleteContents(int rootFd, Consumer<String> log) {
        OldRootCleaner cleaner = new OldRootCleaner(Fs.fstat(rootFd), log);
        cleaner.emptyDirectory(rootFd, "");
        return new Outcome(cleaner.removed, cleaner.mountPointsKept, cleaner.failures);
    }

    private void emptyDirectory(int dirFd, String path) {
        for (DirEntry entry : Fs.readDirectory(dirFd)) {
            if (entry.isDotOrDotDot()) continue;
            try {
                if (entry.type() == DirEntry.DT_DIR || entry.type() == DirEntry.DT_UNKNOWN) {
                    removeIfDirectory(dirFd, entry, path);
                } else {
                    removeFile(dirFd, entry);
                }
            } catch (SyscallException e) {
                failures++;
                log.accept("could not remove " + path + "/" + entry.displayName() + " from the old root: " + e.getMessage());
            }
        }
    }

    /**
     * A directory is emptied and removed unless it is a mount point; an entry the file system did
     * not type (DT_UNKNOWN) is looked at first and may turn out a file.
     */
    private void removeIfDirectory(int dirFd, DirEntry entry, String path) {
        Stat stat = Fs.stat(dirFd, entry.name(), Fs.AT_SYMLINK_NOFOLLOW);
        if (!stat.sameMount(root)) {   // a mount point (a directory or a bound file): not ours
            mountPointsKept++;
            return;
        }
        if (!stat.isDirectory()) {
            removeFile(dirFd, entry);
            return;
        }
        int childFd = Fs.openDirectory(dirFd, entry.name());
        try {
            emptyDirectory(childFd, path + "/" + entry.displayName());
        } finally {
            Fs.close(childFd);
        }
        Fs.unlinkat(dirFd, entry.name(), Fs.AT_REMOVEDIR);
        removed++;
    }

    /**
     * Files, symlinks and device nodes go without a stat first: one system call each, which is most
     * of the delete's time in the interpreter. A file with something bound onto it is the one
     * non-directory that is a mount point, and unlink refuses it with EBUSY.
     */
    private void removeFile(int dirFd, DirEntry entry) {
        try {
            Fs.unlinkat(dirFd, entry.name(), 0);
            removed++;
        } catch (SyscallException e) {
            if (e.errno() != Errno.EBUSY) throw e;
            mountPointsKept++;
        }
    }
}
