package liftoff.cpio;

import java.io.ByteArrayOutputStream;

/**
 * The extractor's name rule: an entry lands inside the destination or not at all. Leading "./" and
 * "." or empty components are dropped (GNU cpio archives made with {@code find .} start that way);
 * absolute names and ".." components are refused rather than rewritten.
 */
final class SafeName {
    private SafeName() {}

    /**
     * The normalized relative name, empty for the destination itself.
     *
     * @throws IllegalArgumentException saying why, for a name that could escape
     */
    static byte[] normalize(byte[] name) {
        if (name.length > 0 && name[0] == '/') throw new IllegalArgumentException("absolute name refused");
        ByteArrayOutputStream out = new ByteArrayOutputStream(name.length);
        int start = 0;
        for (int i = 0; i <= name.length; i++) {
            if (i < name.length && name[i] != '/') continue;
            int len = i - start;
            boolean dot = len == 1 && name[start] == '.';
            boolean dotdot = len == 2 && name[start] == '.' && name[start + 1] == '.';
            if (dotdot) throw new IllegalArgumentException("name with a \"..\" component refused");
            if (len > 0 && !dot) {
                if (out.size() > 0) out.write('/');
                out.write(name, start, len);
            }
            start = i + 1;
        }
        return out.toByteArray();
    }
}
