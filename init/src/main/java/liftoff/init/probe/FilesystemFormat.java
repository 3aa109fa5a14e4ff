package liftoff.init.probe;

import java.io.IOException;

/** One on-disk format: recognises its superblock and reads the identity out of it. */
interface FilesystemFormat {

    /**
     * The filesystem on {@code device}, or null when this format's magic or sanity checks do not
     * match (a damaged or truncated superblock included). Throws only for I/O errors.
     */
    Filesystem probe(DeviceReader device) throws IOException;
}
