package liftoff.cpio;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Entry names are bytes; these helpers show them to people without losing what they are. */
public final class Names {
    private Names() {}

    /** The name as UTF-8 text; bytes that are not UTF-8 (and control characters) as \xNN. */
    public static String printable(byte[] name) {
        String utf8 = strictUtf8(name);
        if (utf8 != null && utf8.chars().noneMatch(c -> c < 0x20 || c == 0x7f)) return utf8;
        StringBuilder sb = new StringBuilder(name.length + 16);
        for (byte b : name) {
            int c = b & 0xff;
            if (c < 0x20 || c >= 0x7f || c == '\\') sb.append(String.format("\\x%02x", c));
            else sb.append((char) c);
        }
        return sb.toString();
    }

    /** The name decoded as UTF-8, or null when it is not valid UTF-8. */
    static String strictUtf8(byte[] name) {
        if (isAscii(name)) return new String(name, StandardCharsets.ISO_8859_1);  // the common case, without a decoder
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(name)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static boolean isAscii(byte[] b) {
        for (byte c : b) if (c < 0) return false;
        return true;
    }

    public static byte[] bytes(String name) {
        return name.getBytes(StandardCharsets.UTF_8);
    }
}
