package liftoff.init.probe;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Where LUKS1 and LUKS2 keep what both the prober (blkid's crypto_LUKS) and the LUKS reader need:
 * the magics, the version, the UUID and label, and the places a LUKS2 header may have its second
 * copy (cryptsetup's on-disk format specifications). Fields are big-endian.
 */
public final class LuksLayout {
    /** "LUKS" then 0xBA 0xBE: LUKS1 and the primary LUKS2 header; each char stands for one byte. */
    private static final String MAGIC = "LUKS\u00ba\u00be";
    /** "SKUL" then 0xBA 0xBE: the secondary LUKS2 header. */
    private static final String SECONDARY_MAGIC = "SKUL\u00ba\u00be";
    /** The header sizes LUKS2 allows; the secondary copy starts right after the primary's area. */
    private static final long[] LUKS2_HEADER_SIZES = {
        0x4000, 0x8000, 0x10000, 0x20000, 0x40000, 0x80000, 0x100000, 0x200000, 0x400000,
    };

    /** u16: 1 or 2. */
    public static final int VERSION = 6;
    /** NUL-padded ASCII text. */
    public static final int UUID = 168;
    public static final int UUID_LENGTH = 40;
    /** LUKS2 only: NUL-padded UTF-8. */
    public static final int LABEL = 24;
    public static final int LABEL_LENGTH = 48;
    /** LUKS2 only, u64: the offset this copy of the header says it is at. */
    public static final int HEADER_OFFSET = 256;

    private LuksLayout() {}

    /** LUKS1, or the primary copy of a LUKS2 header, starts {@code header}. */
    public static boolean isPrimary(ByteBuffer header) {
        return Fields.hasMagic(header, 0, MAGIC);
    }

    /** The secondary copy of a LUKS2 header starts {@code header}. */
    public static boolean isSecondary(ByteBuffer header) {
        return Fields.hasMagic(header, 0, SECONDARY_MAGIC);
    }

    public static int version(ByteBuffer header) {
        return header.order(ByteOrder.BIG_ENDIAN).getShort(VERSION) & 0xffff;
    }

    /** Whether LUKS2 allows a header of {@code size} bytes. */
    public static boolean isLuks2HeaderSize(long size) {
        for (long allowed : LUKS2_HEADER_SIZES) {
            if (allowed == size) return true;
        }
        return false;
    }

    /** The allowed LUKS2 header sizes, smallest first: where a secondary header may start. */
    public static long[] luks2HeaderSizes() {
        return LUKS2_HEADER_SIZES.clone();
    }
}
