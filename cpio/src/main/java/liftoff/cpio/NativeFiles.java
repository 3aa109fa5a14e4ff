package liftoff.cpio;

import java.io.IOException;
import java.nio.file.Path;

/**
 * What the extractor needs that Java NIO cannot do: creating device nodes, FIFOs and sockets, and
 * setting their metadata. NIO sets attributes with NOFOLLOW_LINKS by opening the file first, which
 * blocks on a FIFO and opens the device behind a device node. Kept behind this interface so the shared
 * syscall layer can replace {@link GlibcFiles}.
 */
interface NativeFiles {
    /** mknod(2): {@code mode} carries the file type; {@code major}/{@code minor} matter for devices only. */
    void mknod(Path path, int mode, int major, int minor) throws IOException;

    /** Owner (when {@code chown}; first, since chown clears set-id bits), permission bits and mtime, by path, without opening the node. */
    void setMetadata(Path path, Entry e, boolean chown) throws IOException;
}
