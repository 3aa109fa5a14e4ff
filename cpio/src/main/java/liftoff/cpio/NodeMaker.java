package liftoff.cpio;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Creates device nodes, FIFOs and sockets: the one thing the extractor needs that Java NIO cannot do.
 * Kept behind this interface so the shared syscall layer can replace {@link GlibcNodeMaker}.
 */
interface NodeMaker {
    /** mknod(2): {@code mode} carries the file type; {@code major}/{@code minor} matter for devices only. */
    void mknod(Path path, int mode, int major, int minor) throws IOException;
}
