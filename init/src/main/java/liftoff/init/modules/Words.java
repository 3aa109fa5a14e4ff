package liftoff.init.modules;

import java.util.ArrayList;
import java.util.List;

/**
 * The words of a depmod index line, split where {@code split("\\s+")} would split it but without a
 * regex: compiling and running a pattern per line cost most of the indexes' load time under -Xint.
 */
final class Words {
    private Words() {}

    /**
     * The runs of {@code text} between whitespace as {@code \s} means it (space, tab, newline, vertical
     * tab, form feed, carriage return); none for blank text.
     */
    static List<String> split(String text) {
        List<String> words = new ArrayList<>();
        char[] chars = text.toCharArray();   // one copy: a charAt per character is several calls when interpreted
        int start = -1;                      // where the current word began, or -1 between words
        for (int i = 0; i < chars.length; i++) {
            char c = chars[i];
            if (c == ' ' || (c >= '\t' && c <= '\r')) {
                if (start >= 0) {
                    words.add(text.substring(start, i));
                    start = -1;
                }
            } else if (start < 0) {
                start = i;
            }
        }
        if (start >= 0) words.add(text.substring(start));
        return words;
    }
}
