package liftoff.sys;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Fnmatch against fnmatch's answers (checked with Python's fnmatch.fnmatchcase and glibc's fnmatch). */
class FnmatchTest {
    private static void check(boolean expected, String pattern, String text) {
        assertEquals(expected, Fnmatch.matches(pattern, text), pattern + " vs " + text);
    }

    @Test
    void literalsStarsAndQuestionMarks() {
        check(true, "virtio:d00000002v*", "virtio:d00000002v00001AF4");
        check(false, "virtio:d00000002v*", "virtio:d00000008v00001AF4");
        check(true, "scsi:t-0x00*", "scsi:t-0x00");
        check(true, "*", "");
        check(false, "?", "");
        check(true, "a?c", "abc");
        check(true, "pci:v00008086d00007010sv*sd*bc*sc*i*", "pci:v00008086d00007010sv00001AF4sd00001100bc01sc01i80");
        check(true, "a*b*c", "aXbYbZc");
        check(false, "a*b*c", "aXbYbZ");
        check(true, "**x", "yyx");
        check(false, "abc", "abcd");
    }

    @Test
    void setsRangesNegationAndEscapes() {
        check(true, "dmi*:svn*[Vv]irtual*", "dmi:svnVMware,Inc.:pnVMwareVirtualPlatform");
        check(true, "[a-c]x", "bx");
        check(false, "[a-c]x", "dx");
        check(true, "[!a-c]x", "dx");
        check(true, "[^a-c]x", "dx");
        check(true, "[]]", "]");
        check(true, "[!]]", "a");
        check(true, "\\*", "*");
        check(false, "\\*", "a");
        check(true, "[ab", "[ab");   // an unclosed bracket is literal
        check(true, "acpi*:PNP0A03:*", "acpi:PNP0A03:");
    }
}
