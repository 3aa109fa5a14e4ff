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

    /** "LUKS" then 0xBA 0xBE; each char stands for one byte. */
    private static final String MAGIC = "LUKS\u00ba\u00be";
    /** The secondary LUKS2 header's magic, "SKUL" 0xBA 0xBE. */
    private static final String SECONDARY_MAGIC = "SKUL\u00ba\u00be";
    /** Where cryptsetup may put the secondary header: right after the primary's JSON area. */
    private static final long[] SECONDARY_OFFSETS = {
        0x4000, 0x8000, 0x10000, 0x20000, 0x40000, 0x80000, 0x100000, 0x200000, 0x400000,
    };
    private static final int LABEL = 24;
    private static final int UUID = 168;
    private static final int HEADER_OFFSET = 256;

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
            return header != null && Fields.hasMagic(header, 0, MAGIC) ? identity(header) : null;
        }
        for (long offset : SECONDARY_OFFSETS) {
            ByteBuffer header = device.read(offset, 512);
            if (header == null) {
                return null;
            }
            // A secondary header names its own offset; a stray match elsewhere does not count.
            if (Fields.hasMagic(header, 0, SECONDARY_MAGIC)
                    && header.order(ByteOrder.BIG_ENDIAN).getLong(HEADER_OFFSET) == offset) {
                return identity(header);
            }
        }
        return null;
    }

    private static Filesystem identity(ByteBuffer header) {
        int version = header.order(ByteOrder.BIG_ENDIAN).getShort(6) & 0xffff;
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
