package liftoff.init.probe;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

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
     * A NUL-terminated label of at most {@code max} bytes, UTF-8, with trailing whitespace removed
     * as blkid does; null when it is empty.
     */
    static String label(ByteBuffer b, int offset, int max) {
        int end = 0;
        while (end < max && b.get(offset + end) != 0) {
            end++;
        }
        while (end > 0 && isBlank(b.get(offset + end - 1))) {
            end--;
        }
        if (end == 0) {
            return null;
        }
        byte[] bytes = new byte[end];
        b.get(offset, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static boolean isBlank(byte c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r';
    }

    /** A 16-byte UUID stored in byte order (ext4, xfs, btrfs...), or null when it is all zeros. */
    static String uuid(ByteBuffer b, int offset) {
        if (isZero(b, offset, 16)) {
            return null;
        }
        StringBuilder s = new StringBuilder(36);
        for (int i = 0; i < 16; i++) {
            if (i == 4 || i == 6 || i == 8 || i == 10) {
                s.append('-');
            }
            appendHex(s, b.get(offset + i));
        }
        return s.toString();
    }

    /**
     * A GUID as GPT stores it: the first three groups little-endian, the rest in byte order.
     * Null when it is all zeros (an unused entry).
     */
    static String guid(ByteBuffer b, int offset) {
        if (isZero(b, offset, 16)) {
            return null;
        }
        StringBuilder s = new StringBuilder(36);
        int[] order = {3, 2, 1, 0, -1, 5, 4, -1, 7, 6, -1, 8, 9, -1, 10, 11, 12, 13, 14, 15};
        for (int i : order) {
            if (i < 0) {
                s.append('-');
            } else {
                appendHex(s, b.get(offset + i));
            }
        }
        return s.toString();
    }

    /** A 32-bit value as eight lower-case hex digits, zero-padded. */
    static String hex32(int value) {
        return Long.toHexString(0x1_0000_0000L | (value & 0xffffffffL)).substring(1);
    }

    static void appendHex(StringBuilder s, byte value) {
        s.append(HEX[(value >> 4) & 0xf]).append(HEX[value & 0xf]);
    }

    static boolean isZero(ByteBuffer b, int offset, int length) {
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
