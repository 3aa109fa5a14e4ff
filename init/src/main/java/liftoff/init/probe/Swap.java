package liftoff.init.probe;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Linux swap: the signature sits in the last 10 bytes of the first page, so it moves with the
 * page size of the machine that ran mkswap; the v1 header with UUID and label starts at 1 KiB,
 * its numbers in that machine's byte order (UUID and label are bytes, the same either way).
 */
final class Swap implements FilesystemFormat {

    private static final int[] PAGE_SIZES = {4096, 8192, 16384, 32768, 65536};
    private static final int HEADER = 1024;
    /** The size of the header blkid reads: the fields, 117 padding words, one bad-page slot. */
    private static final int HEADER_SIZE = 516;
    /** Padding words 32 and 33, which blkid wants zero before it trusts the label and UUID. */
    private static final int PADDING_32 = 44 + 32 * 4;

    @Override
    public Filesystem probe(DeviceReader device) throws IOException {
        for (int pageSize : PAGE_SIZES) {
            ByteBuffer signature = device.read(pageSize - 10, 10);
            if (signature == null) {
                return null;
            }
            if (Fields.hasMagic(signature, 0, "SWAPSPACE2")) {
                return versionOne(device);
            }
            if (Fields.hasMagic(signature, 0, "SWAP-SPACE")) {
                return new Filesystem.Builder().type("swap");  // v0: no header, no identity
            }
        }
        return null;
    }

    private static Filesystem versionOne(DeviceReader device) throws IOException {
        ByteBuffer header = device.read(HEADER, HEADER_SIZE);
        // blkid refuses a v1 signature whose header is not version 1 or claims no pages. The header
        // is in the byte order of the machine that ran mkswap, so version 1 may read either way.
        if (header == null || !isOne(header.getInt(0)) || header.getInt(4) == 0) {
            return null;
        }
        Filesystem.Builder tags = new Filesystem.Builder();
        // blkid's "arbitrary sanity check": garbage in the padding makes label and UUID suspect.
        if (header.getLong(PADDING_32) == 0) {
            tags.add("LABEL", Fields.label(header, 28, 16)).add("UUID", Fields.uuid(header, 12));
        }
        return tags.type("swap");
    }

    private static boolean isOne(int version) {
        return version == 1 || Integer.reverseBytes(version) == 1;
    }
}
