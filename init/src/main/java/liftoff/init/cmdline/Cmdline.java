package liftoff.init.cmdline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The kernel command line as the init reads it from /proc/cmdline, parsed once into one record per
 * boot step. Words are split the way the kernel's next_arg() splits them (double quotes group
 * spaces and are removed; everything after a bare "--" is for the real init). Anything malformed
 * becomes a human-readable line in {@link #problems()}, all of them found here so the boot reports
 * them together before it starts, and the default is kept, because PID 1 must boot on, never throw.
 * Options that are not the init's are ignored: the kernel, a module or the real init reads them.
 *
 * @param root       root=, how to mount it and wait for it, and the init to exec
 * @param fsck       fsck.mode=, fsck.repair=
 * @param luks       rd.luks.*
 * @param verity     roothash= and systemd.verity_root_*, or null without roothash=
 * @param modules    liftoff.modules=, modprobe.blacklist=, module.option=value
 * @param breakpoint liftoff.break=premount|preswitch: where to start a rescue shell
 * @param debug      liftoff.debug: log every step to the console
 * @param quiet      quiet
 * @param problems   what was malformed, one line each, for the console; empty when all was well
 */
public record Cmdline(RootOptions root, FsckOptions fsck, LuksOptions luks, VerityOptions verity, ModuleOptions modules,
        Break breakpoint, boolean debug, boolean quiet, List<String> problems) {

    /** Where {@code liftoff.break} drops to a shell. */
    public enum Break {
        NONE,
        /** Before the root filesystem is mounted. */
        PREMOUNT,
        /** After root is mounted, just before switch_root. */
        PRESWITCH
    }

    /** Parses command-line text such as the contents of /proc/cmdline (a trailing newline is fine). */
    public static Cmdline parse(String text) {
        return parse(text, new ArrayList<>());
    }

    /** Reads and parses /proc/cmdline (or a file like it); an unreadable file is a problem, not an error. */
    public static Cmdline read(Path file) {
        try {
            return parse(Files.readString(file));
        } catch (IOException e) {
            List<String> problems = new ArrayList<>();
            problems.add("cannot read " + file + " (" + e.getClass().getSimpleName() + "); using defaults");
            return parse("", problems);
        }
    }

    /** @param problems where the parsers add what is malformed, in the order of the words */
    private static Cmdline parse(String text, List<String> problems) {
        RootOptions.Parser root = new RootOptions.Parser(problems);
        FsckOptions.Parser fsck = new FsckOptions.Parser(problems);
        LuksOptions.Parser luks = new LuksOptions.Parser(problems);
        VerityOptions.Parser verity = new VerityOptions.Parser(problems);
        ModuleOptions.Parser modules = new ModuleOptions.Parser();
        Break breakpoint = Break.NONE;
        boolean debug = false;
        boolean quiet = false;
        Words words = new Words(text);
        boolean forInit = false;
        String[] word;
        while ((word = words.next()) != null) {
            String key = word[0];
            String value = word[1];
            if (forInit) {
                root.initArgument(key, value);
            } else if (value == null && key.equals("--")) {
                forInit = true;
            } else {
                modules.take(key, value);
                if (root.take(key, value) || fsck.take(key, value) || luks.take(key, value) || verity.take(key, value)) continue;
                switch (key) {
                    case "quiet" -> quiet = true;
                    case "liftoff.debug" -> debug = true;
                    case "liftoff.break" -> breakpoint = breakpoint(value, breakpoint, problems);
                    default -> {
                        // Not ours: the kernel, a module or the real init will read it.
                    }
                }
            }
        }
        RootOptions rootOptions = root.finish(verity.requested());
        VerityOptions verityOptions = verity.finish(rootOptions.readOnly(), rootOptions.overlay());
        return new Cmdline(rootOptions, fsck.finish(), luks.finish(), verityOptions, modules.finish(), breakpoint, debug,
                quiet, List.copyOf(problems));
    }

    private static Break breakpoint(String value, Break current, List<String> problems) {
        if (value == null || value.equals("preswitch")) {
            return Break.PRESWITCH;  // a bare liftoff.break breaks as late as possible, like rd.break
        }
        if (value.equals("premount")) {
            return Break.PREMOUNT;
        }
        problems.add("liftoff.break=" + value + " is not premount or preswitch; not breaking");
        return current;
    }

    /** The non-empty items of a comma-separated value (null for a bare key: none). */
    static List<String> commaSeparated(String value) {
        List<String> items = new ArrayList<>();
        if (value == null) {
            return items;
        }
        int start = 0;
        while (start <= value.length()) {
            int comma = value.indexOf(',', start);
            int end = comma < 0 ? value.length() : comma;
            if (end > start) {
                items.add(value.substring(start, end));
            }
            start = end + 1;
        }
        return items;
    }

    /**
     * The kernel's word splitter (lib/cmdline.c next_arg): a word ends at whitespace outside
     * double quotes; the first '=' splits key from value; a quote opening the word or the value
     * and the matching one closing the word are removed, other quotes are kept.
     */
    private static final class Words {
        private final String text;
        private int at;

        Words(String text) {
            this.text = text;
            skipSpaces();
        }

        /** {key, value-or-null}, or null at the end. */
        String[] next() {
            if (at >= text.length()) {
                return null;
            }
            int start = at;
            boolean quoted = text.charAt(at) == '"';
            if (quoted) {
                start++;
            }
            boolean inQuote = quoted;
            int equals = -1;
            int i = start;
            for (; i < text.length(); i++) {
                char c = text.charAt(i);
                if (isSpace(c) && !inQuote) {
                    break;
                }
                if (equals < 0 && c == '=' && i > start) {
                    equals = i;
                }
                if (c == '"') {
                    inQuote = !inQuote;
                }
            }
            int end = i;
            at = i;
            skipSpaces();
            boolean closingQuote = end > start && text.charAt(end - 1) == '"';
            if (equals < 0) {
                return new String[] {text.substring(start, quoted && closingQuote ? end - 1 : end), null};
            }
            int valueStart = equals + 1;
            int valueEnd = end;
            if (valueStart < end && text.charAt(valueStart) == '"') {
                valueStart++;
                if (closingQuote && end - 1 >= valueStart) {
                    valueEnd--;
                }
            } else if (quoted && closingQuote) {
                valueEnd--;
            }
            return new String[] {text.substring(start, equals), text.substring(valueStart, valueEnd)};
        }

        private void skipSpaces() {
            while (at < text.length() && isSpace(text.charAt(at))) {
                at++;
            }
        }

        private static boolean isSpace(char c) {
            return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0B;
        }
    }
}
