package liftoff.init.modules;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** IndexLines against what it replaces: String.lines, strip and split("\\s+") of each line. */
class IndexLinesTest {
    private static List<IndexLines.Line> parse(String text) {
        List<IndexLines.Line> lines = IndexLines.parse(text.getBytes(StandardCharsets.UTF_8));
        List<String> expectedTexts = text.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        assertEquals(expectedTexts, lines.stream().map(IndexLines.Line::text).toList(), "lines of '" + text + "'");
        for (IndexLines.Line line : lines) {
            assertEquals(List.of(line.text().split("\\s+")), line.words(), "regex split of '" + line.text() + "'");
        }
        return lines;
    }

    @Test
    void singleSpaces() {
        assertEquals(List.of("alias", "fs-xfs", "xfs"), parse("alias fs-xfs xfs\n").getFirst().words());
        assertEquals(List.of("kernel/a.ko:", "kernel/b.ko"), parse("kernel/a.ko: kernel/b.ko").getFirst().words());
    }

    @Test
    void tabsAndRunsOfWhitespaceAreOneSeparator() {
        assertEquals(List.of("softdep", "btrfs", "pre:", "crypto-crc32c"),
                parse("softdep\tbtrfs  pre:\t \tcrypto-crc32c\n").getFirst().words());
        assertEquals(List.of("a", "b"), parse("a\u000B\fb").getFirst().words());
    }

    @Test
    void leadingAndTrailingWhitespaceMakeNoEmptyWordsAndBlankLinesAreLeftOut() {
        List<IndexLines.Line> lines = parse("  alias pci:v* ahci  \t\n\n \t \n\tx\n");
        assertEquals(2, lines.size());
        assertEquals("alias pci:v* ahci", lines.get(0).text());
        assertEquals(List.of("x"), lines.get(1).words());
        assertEquals(List.of(1, 4), lines.stream().map(IndexLines.Line::number).toList(), "numbers count every line");
        assertEquals(List.of(), parse(""));
        assertEquals(List.of(), parse(" \t \n"));
    }

    @Test
    void carriageReturnsEndLinesAsStringLinesDoes() {
        List<IndexLines.Line> lines = parse("a b\r\nc\rd\n\r\re");
        assertEquals(List.of("a b", "c", "d", "e"), lines.stream().map(IndexLines.Line::text).toList());
        assertEquals(List.of(1, 2, 3, 6), lines.stream().map(IndexLines.Line::number).toList());
    }

    @Test
    void onlyRegexWhitespaceSeparatesAndUtf8IsDecoded() {
        // \s is ASCII whitespace only: a no-break space or a file separator stays inside the word.
        assertEquals(List.of("a\u00A0b", "c\u001Cd", "é"), parse("a\u00A0b c\u001Cd é").getFirst().words());
        assertEquals("ascii after é", parse("x\nascii after é").get(1).text());
    }
}
