package liftoff.init.probe;

import java.io.IOException;
import java.nio.ByteBuffer;

/** squashfs 4 (little-endian "hsqs"): read-only images carry neither UUID nor label. */
final class Squashfs implements FilesystemFormat {

    @Override
    public Filesystem probe(DeviceReader device) throws IOException {
        ByteBuffer sb = device.read(0, 96);
        // blkid accepts major version 4 only as "squashfs" (3 is "squashfs3", big-endian, legacy).
        if (sb == null || !Fields.hasMagic(sb, 0, "hsqs") || sb.getShort(28) != 4) {
            return null;
        }
        return new Filesystem.Builder().type("squashfs");
    }
}
