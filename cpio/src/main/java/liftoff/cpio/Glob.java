package liftoff.cpio;

/**
 * cpio's patterns: fnmatch(3) without FNM_PATHNAME, so "*" also matches "/" ("usr/*" selects the
 * whole tree under usr). Supports *, ?, [...] with ranges and ! or ^ negation, and backslash escapes.
 * Works on bytes, so patterns match names that are not UTF-8.
 */
public final class Glob {
    private final byte[] pattern;

    public Glob(byte[] pattern) {
        this.pattern = pattern.clone();
    }

    public boolean matches(byte[] name) {
        return match(0, name, 0);
    }

    private boolean match(int p, byte[] s, int i) {
        while (p < pattern.length) {
            byte c = pattern[p];
            if (c == '*') {
                while (p < pattern.length && pattern[p] == '*') p++;
                if (p == pattern.length) return true;
                for (int k = i; k <= s.length; k++) if (match(p, s, k)) return true;
                return false;
            }
            if (i == s.length) return false;
            if (c == '?') {
                p++;
                i++;
            } else if (c == '[') {
                int end = classEnd(p);
                if (end < 0) {  // an unclosed [ is an ordinary character
                    if (s[i] != '[') return false;
                    p++;
                    i++;
                    continue;
                }
                if (!inClass(p + 1, end, s[i] & 0xff)) return false;
                p = end + 1;
                i++;
            } else {
                if (c == '\\' && p + 1 < pattern.length) c = pattern[++p];
                if (s[i] != c) return false;
                p++;
                i++;
            }
        }
        return i == s.length;
    }

    /** The index of the "]" closing the class opened at {@code open}, or -1. */
    private int classEnd(int open) {
        int q = open + 1;
        if (q < pattern.length && (pattern[q] == '!' || pattern[q] == '^')) q++;
        if (q < pattern.length && pattern[q] == ']') q++;
        for (; q < pattern.length; q++) if (pattern[q] == ']') return q;
        return -1;
    }

    private boolean inClass(int from, int end, int ch) {
        boolean negate = pattern[from] == '!' || pattern[from] == '^';
        if (negate) from++;
        boolean hit = false;
        for (int q = from; q < end; q++) {
            int lo = pattern[q] & 0xff;
            if (q + 2 < end && pattern[q + 1] == '-') {
                int hi = pattern[q + 2] & 0xff;
                if (ch >= lo && ch <= hi) hit = true;
                q += 2;
            } else if (ch == lo) {
                hit = true;
            }
        }
        return hit != negate;
    }
}
