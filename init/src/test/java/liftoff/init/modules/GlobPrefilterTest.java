package liftoff.init.modules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import liftoff.sys.Fnmatch;
import org.junit.jupiter.api.Test;

class GlobPrefilterTest {
    private static void check(String pattern, String prefix, String run) {
        assertEquals(new GlobPrefilter(prefix, run), GlobPrefilter.of(pattern), pattern);
    }

    @Test
    void prefixEndsAtTheFirstSpecialCharacterAndTheRunIsTheLongestLiteralAfterIt() {
        check("pci:v*d*sv*sd*bc01sc06i01*", "pci:v", "bc01sc06i01");
        check("pci:v00008086d00007010sv*sd*bc*sc*i*", "pci:v00008086d00007010sv", "sd");
        check("acpi*:PNP0A03:*", "acpi", ":PNP0A03:");
        check("*", "", "");
        check("*virtio*", "", "virtio");
        check("?x", "", "x");
        check("fs-xfs", "fs-xfs", "");   // an exact alias: all prefix
    }

    @Test
    void setsAndQuotedCharactersAreNeverTakenForLiterals() {
        check("dmi*:svn*[Vv]irtual*", "dmi", "irtual");
        check("[abcdefgh]x", "", "x");        // the set's members are no run
        check("[]abcdefgh]x", "", "x");       // nor is a leading ']' that belongs to the set
        check("[!]abcdefgh]x", "", "x");
        check("[abcd", "", "abcd");           // unclosed: fnmatch takes '[' as a literal
        check("a\\*bc*", "a", "bc");
        check("a\\*", "a", "");
        check("ab\\", "ab", "");              // a trailing backslash
    }

    /** The prefilter may admit what fnmatch rejects, never the reverse: random patterns and texts over a small alphabet. */
    @Test
    void neverRejectsWhatGlobMatches() {
        Random random = new Random(1);
        String patternAlphabet = "ab:-*?*[]!^\\";
        String textAlphabet = "ab:-*?[]!^\\";
        int matches = 0;
        for (int i = 0; i < 200_000; i++) {
            String pattern = randomString(random, patternAlphabet, 8);
            String text = randomString(random, textAlphabet, 8);
            if (Fnmatch.matches(pattern, text)) {
                matches++;
                assertTrue(GlobPrefilter.of(pattern).admits(text), pattern + " vs " + text);
            }
        }
        assertTrue(matches > 1000, "too few matches to prove anything: " + matches);
    }

    private static String randomString(Random random, String alphabet, int maxLength) {
        StringBuilder s = new StringBuilder();
        for (int n = random.nextInt(maxLength + 1); n > 0; n--) s.append(alphabet.charAt(random.nextInt(alphabet.length())));
        return s.toString();
    }
}
