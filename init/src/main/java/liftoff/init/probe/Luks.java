package liftoff.init.probe;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * LUKS1 and LUKS2 headers (TYPE crypto_LUKS). The UUID is stored as NUL-padded text; LUKS2 adds
 * a label. Both versions keep the magic, version and UUID at the same offsets.
 */
final class Luks implements FilesystemFormat {

    /** "LUKS" then 0xBA 0xBE; each char stands for one byte. */
    private static final String MAGIC = "LUKS\u00ba\u00be";
    private static final int LABEL = 24;
    private static final int UUID = 168;

    @Override
    public Filesystem probe(DeviceReader device) throws IOException {
        ByteBuffer header = device.read(0, 512);
        if (header == null || !Fields.hasMagic(header, 0, MAGIC)) {
            return null;
        }
        int version = Short.toUnsignedInt(Short.reverseBytes(header.getShort(6)));  // big-endian
        String uuid = Fields.label(header, UUID, 40);
        if (version == 1) {
            return new Filesystem.Builder().add("UUID", uuid).type("crypto_LUKS");
        }
        if (version == 2) {
            return new Filesystem.Builder()
                    .add("UUID", uuid)
                    .add("LABEL", Fields.label(header, LABEL, 48))
                    .type("crypto_LUKS");
        }
        return null;
    }
}
