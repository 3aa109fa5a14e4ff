package liftoff.init.modules;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Words.split against the regex split it replaces, on the stripped lines ModuleDatabase gives it. */
class WordsTest {
    private static void check(List<String> expected, String line) {
        assertEquals(expected, Words.split(line), "'" + line + "'");
        String stripped = line.strip();
        List<String> regex = stripped.isEmpty() ? List.of() : List.of(stripped.split("\\s+"));
        assertEquals(regex, Words.split(stripped), "regex split of '" + stripped + "'");
    }

    @Test
    void singleSpaces() {
        check(List.of("alias", "fs-xfs", "xfs"), "alias fs-xfs xfs");
        check(List.of("kernel/a.ko"), "kernel/a.ko");
    }

    @Test
    void tabsAndRunsOfWhitespaceAreOneSeparator() {
        check(List.of("softdep", "btrfs", "pre:", "crypto-crc32c"), "softdep\tbtrfs  pre:\t \tcrypto-crc32c");
        check(List.of("a", "b"), "a\u000B\f\rb");
    }

    @Test
    void leadingAndTrailingWhitespaceMakeNoEmptyWords() {
        check(List.of("alias", "pci:v*", "ahci"), "  alias pci:v* ahci  \t");
        check(List.of("x"), "\tx\n");
        check(List.of(), "");
        check(List.of(), " \t ");
    }

    @Test
    void onlyRegexWhitespaceSeparates() {
        // \s is ASCII whitespace only: a no-break space or a file separator stays inside the word.
        check(List.of("a\u00A0b", "c\u001Cd"), "a\u00A0b c\u001Cd");
    }
}
