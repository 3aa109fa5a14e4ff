package liftoff.init.modules;

import liftoff.sys.Fnmatch;

/**
 * Literal text that every string a {@link Glob} pattern matches must hold: the pattern's text before
 * its first special character, which the string starts with, and the longest literal run after that,
 * which the string contains further on. {@link String#startsWith} and {@link String#indexOf} reject
 * most modules.alias patterns that way, far cheaper under -Xint than Fnmatch.matches, whose
 * backtracking over a class pattern such as "pci:v*d*sv*sd*bc01sc06i01*" is all calls;
 * {@link ModaliasIndex} files the patterns by their prefix.
 */
record GlobPrefilter(String prefix, String run) {
    /** The pattern's text before its first special character: what every match starts with. */
    static String literalPrefix(String pattern) {
        char[] chars = pattern.toCharArray();   // a charAt per character is several calls when interpreted
        int first = 0;
        while (first < chars.length && !special(chars[first])) first++;
        return pattern.substring(0, first);
    }

    static GlobPrefilter of(String pattern) {
        String prefix = literalPrefix(pattern);
        char[] chars = pattern.toCharArray();
        String longest = "";
        int start = prefix.length();   // where the current run of literal characters began
        int i = start;
        while (i < chars.length) {
            char c = chars[i];
            if (!special(c)) {
                i++;
                continue;
            }
            if (i - start > longest.length()) longest = pattern.substring(start, i);
            // A quoted character or an unclosed '[' is literal too, but ending the run there is merely less selective.
            i = c == '\\' ? i + 2 : c == '[' ? afterSet(pattern, i) : i + 1;
            start = i;
        }
        if (chars.length - start > longest.length()) longest = pattern.substring(start);
        return new GlobPrefilter(prefix, longest);
    }

    /** False when the pattern cannot match {@code text}; true says only that it may. */
    boolean admits(String text) {
        return text.startsWith(prefix) && (run.isEmpty() || text.indexOf(run, prefix.length()) >= 0);
    }

    private static boolean special(char c) {
        return c == '*' || c == '?' || c == '[' || c == '\\';
    }

    private static int afterSet(String pattern, int open) {
        int close = Fnmatch.bracketEnd(pattern, open);
        return close > 0 ? close + 1 : open + 1;
    }
}
