package liftoff.init.modules;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The lines of a depmod index, each with its words, from one pass over the file's bytes. Under the
 * interpreter the init runs in, each pass over the text costs about as much as the parse: decoding
 * the file, finding the line ends, copying a line's characters and splitting it took five passes,
 * and the image's indexes 22 ms of the boot. Lines end where String.lines ends them ('\n', '\r'),
 * words are split where {@code split("\\s+")} splits them (no regex), and blank lines are left out.
 * Text is UTF-8; a line of ASCII (every depmod line in practice) is copied without decoding.
 */
final class IndexLines {
    /** A line without its leading and trailing whitespace, its words, and its number as String.lines counts (from 1). */
    record Line(String text, List<String> words, int number) {}

    /** What each byte is: part of a word (ASCII or not), whitespace within a line, or a line end. */
    private static final int ASCII = 0, HIGH = 1, SPACE = 2, LINE_BREAK = 3;
    private static final byte[] KIND = new byte[256];

    static {
        for (int b = 0x80; b < 0x100; b++) KIND[b] = HIGH;
        for (char c : new char[] {' ', '\t', 0x0b, '\f'}) KIND[c] = SPACE;
        KIND['\n'] = LINE_BREAK;
        KIND['\r'] = LINE_BREAK;
    }

    private IndexLines() {}

    static List<Line> read(Path file) throws IOException {
        return parse(Files.readAllBytes(file));
    }

    static List<Line> parse(byte[] bytes) {
        List<Line> lines = new ArrayList<>();
        List<String> words = new ArrayList<>();
        int number = 1;
        int lineStart = -1;   // the line's first word, or -1 while it has none
        int lineEnd = 0;      // just after its last word
        int high = 0;         // HIGH if a word of the line so far has a byte above 0x7f
        int n = bytes.length;
        for (int i = 0; i < n; ) {
            int kind = KIND[bytes[i] & 0xff];
            if (kind <= HIGH) {
                // A word: the tight loop below is most of the parse, so it only looks up each byte.
                int start = i;
                do {
                    high |= kind;
                    i++;
                } while (i < n && (kind = KIND[bytes[i] & 0xff]) <= HIGH);
                words.add(string(bytes, start, i, high));
                if (lineStart < 0) lineStart = start;
                lineEnd = i;
            } else {
                if (kind == LINE_BREAK) {
                    if (lineStart >= 0) {
                        lines.add(new Line(string(bytes, lineStart, lineEnd, high), words, number));
                        words = new ArrayList<>();
                        lineStart = -1;
                        high = 0;
                    }
                    if (bytes[i] == '\n' || i + 1 >= n || bytes[i + 1] != '\n') number++;   // "\r\n" is one
                }
                i++;
            }
        }
        if (lineStart >= 0) lines.add(new Line(string(bytes, lineStart, lineEnd, high), words, number));
        return lines;
    }

    private static String string(byte[] bytes, int from, int to, int high) {
        return new String(bytes, from, to - from, high == 0 ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
    }
}
