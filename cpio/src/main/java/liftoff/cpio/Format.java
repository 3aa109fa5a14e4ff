package liftoff.cpio;

import java.nio.charset.StandardCharsets;

/** The cpio header formats: "new" ASCII (newc), newc with a body checksum (crc), and old portable ASCII (odc). */
public enum Format {
    /** 070701: 13 fields of 8 hex digits, name and body padded to 4 bytes; what the kernel reads. */
    NEWC("070701", 110),
    /** 070702: newc whose check field is the byte sum of the body. */
    CRC("070702", 110),
    /** 070707: octal fields, no padding; read only. */
    ODC("070707", 76);

    private final byte[] magic;
    private final int headerSize;

    Format(String magic, int headerSize) {
        this.magic = magic.getBytes(StandardCharsets.US_ASCII);
        this.headerSize = headerSize;
    }

    byte[] magic() {
        return magic.clone();
    }

    int headerSize() {
        return headerSize;
    }

    /** Both newc variants pad the name and body to 4 bytes; odc does not pad. */
    int alignment() {
        return this == ODC ? 1 : 4;
    }

    /** The format whose 6-byte magic starts {@code b} at {@code off}, or null. */
    static Format ofMagic(byte[] b, int off) {
        for (Format f : values()) {
            if (java.util.Arrays.equals(b, off, off + 6, f.magic, 0, 6)) return f;
        }
        return null;
    }
}
