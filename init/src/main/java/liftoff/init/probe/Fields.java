package liftoff.init.probe;

import java.nio.ByteBuffer;

/** Decoders for the field shapes superblocks share: magics, C strings, UUIDs. */
final class Fields {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Fields() {
    }

    /** True when the bytes at {@code offset} are the ASCII text {@code magic}. */
    static boolean hasMagic(ByteBuffer b, int offset, String magic) {
        for (int i = 0; i < magic.length(); i++) {
            if (b.get(offset + i) != (byte) magic.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /**
     * A NUL-terminated label of at most {@code max} bytes, with trailing whitespace removed as blkid
     * does; null when it is empty. Its bytes are kept as they are (see {@link TagText}).
     */
    static String label(ByteBuffer b, int offset, int max) {
        return trimmed(b, offset, max, false);
    }

    /**
     * As {@link #label}, leading whitespace removed too: blkid's rule for the labels it sets besides
     * LABEL (LABEL_FATBOOT).
     */
    static String extraLabel(ByteBuffer b, int offset, int max) {
        return trimmed(b, offset, max, true);
    }

    private static String trimmed(ByteBuffer b, int offset, int max, boolean leading) {
        int end = 0;
        while (end < max && b.get(offset + end) != 0) {
            end++;
        }
        while (end > 0 && isBlank(b.get(offset + end - 1))) {
            end--;
        }
        int start = 0;
        while (leading && start < end && isBlank(b.get(offset + start))) {
            start++;
        }
        if (start == end) {
            return null;
        }
        byte[] bytes = new byte[end - start];
        b.get(offset + start, bytes);
        return TagText.decode(bytes);
    }

    /** C's isspace, which blkid trims with: space, \t, \n, \v, \f and \r. */
    private static boolean isBlank(byte c) {
        return c == ' ' || (c >= '\t' && c <= '\r');
    }

    /** Byte positions of a UUID's text form, -1 for a dash: stored in byte order (ext4, xfs…). */
    private static final int[] UUID_BYTES = {0, 1, 2, 3, -1, 4, 5, -1, 6, 7, -1, 8, 9, -1, 10, 11, 12, 13, 14, 15};
    /** The same for a GUID as GPT stores it: the first three groups little-endian. */
    private static final int[] GUID_BYTES = {3, 2, 1, 0, -1, 5, 4, -1, 7, 6, -1, 8, 9, -1, 10, 11, 12, 13, 14, 15};

    /** A 16-byte UUID stored in byte order, or null when it is all zeros (none set). */
    static String uuid(ByteBuffer b, int offset) {
        return format(b, offset, UUID_BYTES);
    }

    /** A GPT GUID, or null when it is all zeros (an unused entry). */
    static String guid(ByteBuffer b, int offset) {
        return format(b, offset, GUID_BYTES);
    }

    private static String format(ByteBuffer b, int offset, int[] positions) {
        if (isZero(b, offset, 16)) {
            return null;
        }
        StringBuilder s = new StringBuilder(36);
        for (int i : positions) {
            if (i < 0) {
                s.append('-');
            } else {
                byte value = b.get(offset + i);
                s.append(HEX[(value >> 4) & 0xf]).append(HEX[value & 0xf]);
            }
        }
        return s.toString();
    }

    /** A 32-bit value as eight lower-case hex digits, zero-padded. */
    static String hex32(int value) {
        return Long.toHexString(0x1_0000_0000L | (value & 0xffffffffL)).substring(1);
    }

    private static boolean isZero(ByteBuffer b, int offset, int length) {
        for (int i = 0; i < length; i++) {
            if (b.get(offset + i) != 0) {
                return false;
            }
        }
        return true;
    }

    static boolean isPowerOfTwo(long n) {
        return n > 0 && (n & (n - 1)) == 0;
    }
}
