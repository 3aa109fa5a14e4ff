package liftoff.init.probe;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * LUKS1 and LUKS2 headers (TYPE crypto_LUKS). The UUID is stored as NUL-padded text; LUKS2 adds
 * a label. Both versions keep the magic, version and UUID at the same offsets. LUKS2 also keeps a
 * second copy of its header, found as blkid finds it when the first one is wiped.
 */
final class Luks implements FilesystemFormat {

    /** Recognises the primary header at offset 0. */
    static final Luks PRIMARY = new Luks(false);
    /**
     * Looks for a secondary LUKS2 header only: a last resort, since a stale one can outlive a
     * mkfs of another filesystem (they wipe the first KiBs, not 16 KiB and beyond).
     */
    static final Luks SECONDARY = new Luks(true);

    private final boolean secondary;

    private Luks(boolean secondary) {
        this.secondary = secondary;
    }

    @Override
    public Filesystem probe(DeviceReader device) throws IOException {
        if (!secondary) {
            ByteBuffer header = device.read(0, 512);
            return header != null && LuksLayout.isPrimary(header) ? identity(header) : null;
        }
        for (long offset : LuksLayout.luks2HeaderSizes()) {
            ByteBuffer header = device.read(offset, 512);
            if (header == null) {
                return null;
            }
            // A secondary header names its own offset; a stray match elsewhere does not count.
            if (LuksLayout.isSecondary(header)
                    && header.order(ByteOrder.BIG_ENDIAN).getLong(LuksLayout.HEADER_OFFSET) == offset) {
                return identity(header);
            }
        }
        return null;
    }

    private static Filesystem identity(ByteBuffer header) {
        int version = LuksLayout.version(header);
        String uuid = Fields.label(header, LuksLayout.UUID, LuksLayout.UUID_LENGTH);
        if (version == 1) {
            return new Filesystem.Builder().add("UUID", uuid).type("crypto_LUKS");
        }
        if (version == 2) {
            return new Filesystem.Builder()
                    .add("UUID", uuid)
                    .add("LABEL", Fields.label(header, LuksLayout.LABEL, LuksLayout.LABEL_LENGTH))
                    .type("crypto_LUKS");
        }
        return null;
    }
}
