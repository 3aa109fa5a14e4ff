package liftoff.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** What a new user sees first: {@code liftoff} alone and {@code liftoff --help}. */
class UsageTest {

    @Test
    void noVerbIsAUsageErrorWithTheUsageOnStderr() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true)).execute();
        assertEquals(2, code);
        assertEquals("", out.toString());
        assertTrue(err.toString().startsWith("Usage: liftoff [-hV] [COMMAND]\n"), err.toString());
        assertTrue(err.toString().contains("\n  build "), err.toString());
    }

    /** Every verb's summary in {@code liftoff --help} is one whole sentence on one line of the usage width. */
    @Test
    void theVerbListHasAWholeSentenceALineForEachVerb() {
        List<String> entries = commandList("--help");
        assertEquals(Main.commandLine().getSubcommands().size(), entries.size(), String.join("\n", entries));
        for (String entry : entries) {
            assertTrue(entry.endsWith(".") && !entry.contains("\n"), entry);
        }
    }

    /** The verbs under cpio and bench: whole sentences, however they wrap. */
    @Test
    void subcommandSummariesAreWholeSentences() {
        for (String verb : List.of("cpio", "bench")) {
            for (String entry : commandList(verb, "--help")) {
                assertTrue(entry.endsWith("."), verb + ": " + entry);
            }
        }
    }

    /**
     * The "Commands:" section of the usage at the width used when no terminal says otherwise, one
     * string per command with its wrapped continuation lines joined by newlines.
     */
    private static List<String> commandList(String... args) {
        StringWriter out = new StringWriter();
        CommandLine cli = Main.commandLine().setUsageHelpAutoWidth(false);
        assertEquals(0, cli.setOut(new PrintWriter(out, true)).execute(args));
        List<String> entries = new ArrayList<>();
        boolean inCommands = false;
        for (String line : out.toString().lines().toList()) {
            if (line.equals("Commands:")) {
                inCommands = true;
            } else if (inCommands && line.matches("  \\S.*")) {
                entries.add(line);
            } else if (inCommands && line.startsWith("   ")) {
                entries.add(entries.removeLast() + "\n" + line.strip());
            } else {
                inCommands = false;
            }
        }
        return entries;
    }
}
