package liftoff.cpio;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import liftoff.sys.Errno;
import liftoff.sys.Fs;
import liftoff.sys.Stat;
import liftoff.sys.SyscallException;

/**
 * What the extractor needs that Java NIO cannot do, through the shared syscall layer: creating
 * device nodes, FIFOs and sockets, and setting their metadata. NIO sets attributes with
 * NOFOLLOW_LINKS by opening the file first, which blocks on a FIFO and opens the device behind a
 * device node; these calls work on the path without opening it.
 */
final class NodeFiles {
    private NodeFiles() {}

    /** mknod(2): {@code mode} carries the file type; {@code major}/{@code minor} matter for devices only. */
    static void mknod(Path path, int mode, int major, int minor) throws IOException {
        try {
            Fs.mknodat(Fs.AT_FDCWD, name(path), mode, Stat.makedev(major, minor));
        } catch (SyscallException e) {
            throw failure(path, e);
        }
    }

    /** Owner (when {@code chown}; first, since chown clears set-id bits), permission bits and mtime. */
    static void setMetadata(Path path, Entry e, boolean chown) throws IOException {
        byte[] name = name(path);
        try {
            if (chown) Fs.fchownat(Fs.AT_FDCWD, name, (int) e.uid(), (int) e.gid(), Fs.AT_SYMLINK_NOFOLLOW);
            Fs.fchmodat(Fs.AT_FDCWD, name, e.permissions());
            Fs.setTimes(Fs.AT_FDCWD, name, e.mtime(), 0);
        } catch (SyscallException x) {
            throw failure(path, x);
        }
    }

    /** Like NIO's failures: the path and the C library's words, e.g. "Operation not permitted". */
    private static FileSystemException failure(Path path, SyscallException e) {
        FileSystemException failure = new FileSystemException(path.toString(), null, Errno.describe(e.errno()));
        failure.initCause(e);
        return failure;
    }

    private static byte[] name(Path path) {
        return FsNames.bytes(path.toAbsolutePath());
    }
}
