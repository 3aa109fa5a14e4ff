package liftoff.sys;

import java.nio.charset.StandardCharsets;

/**
 * fnmatch(3) without flags, as libc has it: how kmod matches a device's modalias against the
 * patterns of modules.alias, and how cpio selects the names to extract ("usr/*" is the whole tree
 * under usr): {@code *} any run of characters, {@code ?} one character, {@code [a-z]} and
 * {@code [!a-z]} (or {@code [^a-z]}) a set, a backslash quotes the next character. '/' and a
 * leading '.' are ordinary characters here, as they are for fnmatch without FNM_PATHNAME/PERIOD.
 */
public final class Fnmatch {
    private Fnmatch() {}

    /**
     * Byte strings, such as file names that are not UTF-8: each byte is one character, compared by
     * its unsigned value (ISO-8859-1 maps bytes to the chars of the same value, and back).
     */
    public static boolean matches(byte[] pattern, byte[] text) {
        return matches(new String(pattern, StandardCharsets.ISO_8859_1), new String(text, StandardCharsets.ISO_8859_1));
    }

    public static boolean matches(String pattern, String text) {
        int p = 0;
        int t = 0;
        int starP = -1;   // where to resume the pattern after the last '*'
        int starT = -1;   // and the text position that '*' has absorbed up to
        while (t < text.length()) {
            if (p < pattern.length()) {
                char c = pattern.charAt(p);
                if (c == '*') {
                    starP = ++p;
                    starT = t;
                    continue;
                }
                int next = single(pattern, p, text.charAt(t));
                if (next > 0) {
                    p = next;
                    t++;
                    continue;
                }
            }
            if (starP < 0) return false;
            p = starP;        // let the last '*' take one more character and try again
            t = ++starT;
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') p++;
        return p == pattern.length();
    }

    /** The pattern position after the element at {@code p} when it matches {@code ch}, else -1. */
    private static int single(String pattern, int p, char ch) {
        char c = pattern.charAt(p);
        if (c == '?') return p + 1;
        if (c == '\\' && p + 1 < pattern.length()) return pattern.charAt(p + 1) == ch ? p + 2 : -1;
        if (c == '[') {
            int end = bracketEnd(pattern, p);
            if (end > 0) return inSet(pattern, p + 1, end, ch) ? end + 1 : -1;
            // an unclosed '[' is an ordinary character, as in fnmatch
        }
        return c == ch ? p + 1 : -1;
    }

    /** The index of the ']' closing the set that opens at {@code open}, or -1. */
    public static int bracketEnd(String pattern, int open) {
        int i = open + 1;
        if (i < pattern.length() && (pattern.charAt(i) == '!' || pattern.charAt(i) == '^')) i++;
        if (i < pattern.length() && pattern.charAt(i) == ']') i++;   // a leading ']' is a member
        while (i < pattern.length() && pattern.charAt(i) != ']') i++;
        return i < pattern.length() ? i : -1;
    }

    private static boolean inSet(String pattern, int from, int end, char ch) {
        boolean negate = pattern.charAt(from) == '!' || pattern.charAt(from) == '^';
        int i = negate ? from + 1 : from;
        boolean found = false;
        boolean first = true;
        while (i < end) {
            char low = pattern.charAt(i);
            if (!first && low == ']') break;
            first = false;
            if (i + 2 < end && pattern.charAt(i + 1) == '-') {
                if (ch >= low && ch <= pattern.charAt(i + 2)) found = true;
                i += 3;
            } else {
                if (ch == low) found = true;
                i++;
            }
        }
        return found != negate;
    }
}
