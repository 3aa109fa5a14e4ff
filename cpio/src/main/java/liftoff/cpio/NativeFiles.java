package liftoff.cpio;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The two things the extractor needs that Java NIO cannot do well: creating device nodes, FIFOs and
 * sockets, and setting metadata by path. NIO sets attributes with NOFOLLOW_LINKS by opening the file
 * first, which blocks on a FIFO, opens the device behind a device node, and costs an open and a close
 * per attribute on every file. Kept behind this interface so the shared syscall layer can replace
 * {@link GlibcFiles}.
 */
interface NativeFiles {
    /** mknod(2): {@code mode} carries the file type; {@code major}/{@code minor} matter for devices only. */
    void mknod(Path path, int mode, int major, int minor) throws IOException;

    /**
     * Owner (when {@code chown}; first, since chown clears set-id bits), permission bits (not for
     * symlinks, which have none) and mtime, by path, never following a symlink or opening the file.
     */
    void setMetadata(Path path, Entry e, boolean chown) throws IOException;
}
