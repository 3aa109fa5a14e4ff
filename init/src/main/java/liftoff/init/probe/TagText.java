package liftoff.init.probe;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.StandardCharsets;

/**
 * Tag values are bytes to blkid, which prints them as they are on disk: usually UTF-8, but a FAT
 * label is in the DOS code page and any label may hold bytes that are not UTF-8. They are carried
 * here in a String without loss: valid UTF-8 as its characters, and every other byte b as the lone
 * surrogate U+DC00+b (Python's "surrogateescape"), which decoded text never contains. Whoever
 * prints a value or escapes it as udev does asks for its bytes back.
 */
public final class TagText {

    private static final int ESCAPE = 0xDC00;

    private TagText() {
    }

    /** The text of {@code raw}: UTF-8 where it is valid, each other byte escaped. */
    public static String decode(byte[] raw) {
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder();  // reports malformed input
        ByteBuffer in = ByteBuffer.wrap(raw);
        CharBuffer out = CharBuffer.allocate(raw.length);  // UTF-8 never gives more chars than bytes
        CoderResult result;
        while ((result = utf8.decode(in, out, true)).isError()) {
            for (int i = result.length(); i > 0; i--) {
                out.put((char) (ESCAPE | (in.get() & 0xff)));
            }
        }
        utf8.flush(out);
        return out.flip().toString();
    }

    /** The bytes {@code text} stands for: the ones it was decoded from. */
    public static byte[] bytes(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(text.length());
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            i += Character.charCount(c);
            int raw = escapedByte(c);
            if (raw >= 0) {
                out.write(raw);
            } else {
                out.writeBytes(Character.toString(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        return out.toByteArray();
    }

    /**
     * The byte that code point {@code c} stands for when it is an escaped byte that is not UTF-8,
     * else -1. Only bytes 0x80-0xFF are ever escaped: ASCII is always valid UTF-8.
     */
    public static int escapedByte(int c) {
        return c >= ESCAPE + 0x80 && c <= ESCAPE + 0xFF ? c - ESCAPE : -1;
    }
}
