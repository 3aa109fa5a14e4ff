package liftoff.init.cmdline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import liftoff.init.root.RootSpec;
import liftoff.init.verity.VerityRoot;

/**
 * The kernel command line as the init reads it from /proc/cmdline. Words are split the way the
 * kernel's next_arg() splits them (double quotes group spaces and are removed; everything after a
 * bare "--" is for the real init). The options the boot needs have typed accessors; anything
 * malformed becomes a human-readable line in {@link #problems()} and the default is kept, because
 * PID 1 must boot on, never throw.
 */
public final class Cmdline {

    /** Where {@code liftoff.break} drops to a shell. */
    public enum Break {
        NONE,
        /** Before the root filesystem is mounted. */
        PREMOUNT,
        /** After root is mounted, just before switch_root. */
        PRESWITCH
    }

    /** The kernel's fallbacks, tried in order when init= is absent (init/main.c). */
    private static final List<String> DEFAULT_INITS = List.of("/sbin/init", "/etc/init", "/bin/init", "/bin/sh");
    private static final int DEFAULT_TIMEOUT_SECONDS = 30;

    /** Every key=value and bare word before "--", in order; a bare word has a null value. */
    private final List<String[]> parameters = new ArrayList<>();
    private final List<String> initArguments = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();

    private RootSpec root;
    private String rootFsType;
    private String rootFlags;
    private boolean readOnly = true;
    private boolean rootWait;
    private int rootWaitSeconds = -1;
    private int rootDelaySeconds;
    private String init;
    private boolean quiet;
    private boolean debug;
    private Break breakpoint = Break.NONE;
    private int timeoutSeconds = DEFAULT_TIMEOUT_SECONDS;
    private final List<String> modules = new ArrayList<>();
    private final List<String> blacklist = new ArrayList<>();

    private Cmdline() {
    }

    /** Parses command-line text such as the contents of /proc/cmdline (a trailing newline is fine). */
    public static Cmdline parse(String text) {
        Cmdline cmdline = new Cmdline();
        Words words = new Words(text);
        boolean forInit = false;
        String[] word;
        while ((word = words.next()) != null) {
            if (forInit) {
                // The kernel hands these to init as argv, "key=value" joined again.
                cmdline.initArguments.add(word[1] == null ? word[0] : word[0] + "=" + word[1]);
            } else if (word[1] == null && word[0].equals("--")) {
                forInit = true;
            } else {
                cmdline.parameters.add(word);
                cmdline.apply(word[0], word[1]);
            }
        }
        return cmdline;
    }

    /** Reads and parses /proc/cmdline (or a file like it); an unreadable file is a problem, not an error. */
    public static Cmdline read(Path file) {
        try {
            return parse(Files.readString(file));
        } catch (IOException e) {
            Cmdline cmdline = parse("");
            cmdline.problems.add("cannot read " + file + " (" + e.getClass().getSimpleName() + "); using defaults");
            return cmdline;
        }
    }

    private void apply(String key, String value) {
        switch (key) {
            case "root" -> root = rootSpec(value);
            case "rootfstype" -> rootFsType = nonEmpty(key, value, rootFsType);
            case "rootflags" -> rootFlags = nonEmpty(key, value, rootFlags);
            case "ro" -> readOnly = true;
            case "rw" -> readOnly = false;
            case "rootwait" -> {
                rootWait = true;
                rootWaitSeconds = value == null ? -1 : seconds(key, value, -1);
            }
            case "rootdelay" -> rootDelaySeconds = seconds(key, value, rootDelaySeconds);
            case "init" -> init = nonEmpty(key, value, init);
            case "quiet" -> quiet = true;
            case "liftoff.debug" -> debug = true;
            case "liftoff.break" -> breakpoint = breakpoint(value);
            case "liftoff.timeout" -> timeoutSeconds = seconds(key, value, timeoutSeconds);
            case "liftoff.modules" -> addModules(modules, value);
            case "modprobe.blacklist" -> addModules(blacklist, value);
            default -> {
                // Not ours: the kernel, a module or the real init will read it.
            }
        }
    }

    private RootSpec rootSpec(String value) {
        try {
            return RootSpec.parse(value == null ? "" : value);
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage() + (root == null ? "; no root device" : "; keeping root=" + root));
            return root;
        }
    }

    private String nonEmpty(String key, String value, String current) {
        if (value == null || value.isEmpty()) {
            problems.add(key + "= needs a value; ignored");
            return current;
        }
        return value;
    }

    private int seconds(String key, String value, int current) {
        if (value != null && !value.isEmpty() && value.length() <= 9) {
            boolean digits = true;
            for (int i = 0; i < value.length(); i++) {
                digits &= value.charAt(i) >= '0' && value.charAt(i) <= '9';
            }
            if (digits) {
                return Integer.parseInt(value);
            }
        }
        problems.add(key + "=" + (value == null ? "" : value) + " is not a number of seconds; using "
                + (current < 0 ? "no limit" : Integer.toString(current)));
        return current;
    }

    private Break breakpoint(String value) {
        if (value == null || value.equals("preswitch")) {
            return Break.PRESWITCH;  // a bare liftoff.break breaks as late as possible, like rd.break
        }
        if (value.equals("premount")) {
            return Break.PREMOUNT;
        }
        problems.add("liftoff.break=" + value + " is not premount or preswitch; not breaking");
        return breakpoint;
    }

    /**
     * Comma-separated module names, normalised to underscores as modprobe compares them; the
     * option may repeat and the lists add up.
     */
    private void addModules(List<String> into, String value) {
        if (value == null) {
            return;
        }
        int start = 0;
        while (start <= value.length()) {
            int comma = value.indexOf(',', start);
            int end = comma < 0 ? value.length() : comma;
            if (end > start) {
                into.add(value.substring(start, end).replace('-', '_'));
            }
            start = end + 1;
        }
    }

    /**
     * The root device, or null when root= is absent or malformed; with roothash= and no root= it is
     * the verity mapping /dev/mapper/root, as systemd has it.
     */
    public RootSpec root() {
        if (root == null && value("roothash") != null) return RootSpec.parse(VerityRoot.DEVICE);
        return root;
    }

    /** rootfstype=, or null to let the mount try the probed type. */
    public String rootFsType() {
        return rootFsType;
    }

    /** rootflags= (filesystem-specific mount data), or null. */
    public String rootFlags() {
        return rootFlags;
    }

    /** Mount root read-only: the kernel's default, and the last of ro/rw wins. */
    public boolean readOnly() {
        return readOnly;
    }

    /** rootwait: keep waiting for the root device instead of giving up after liftoff.timeout. */
    public boolean rootWait() {
        return rootWait;
    }

    /** rootwait=N (Linux 6.5+): wait at most N seconds; empty for plain rootwait (no limit). */
    public OptionalInt rootWaitSeconds() {
        return rootWaitSeconds < 0 ? OptionalInt.empty() : OptionalInt.of(rootWaitSeconds);
    }

    /** rootdelay=: seconds to sleep before looking for the root device (default 0). */
    public int rootDelaySeconds() {
        return rootDelaySeconds;
    }

    /**
     * The programs to exec as the real init, in order: init= alone when given (the kernel does not
     * fall back from an explicit init=), else /sbin/init, /etc/init, /bin/init, /bin/sh.
     */
    public List<String> initCandidates() {
        return init != null ? List.of(init) : DEFAULT_INITS;
    }

    /** The words after a bare "--": argv[1..] for the real init. */
    public List<String> initArguments() {
        return Collections.unmodifiableList(initArguments);
    }

    public boolean quiet() {
        return quiet;
    }

    /** liftoff.debug: log every step to the console. */
    public boolean debug() {
        return debug;
    }

    /** liftoff.break=premount|preswitch: where to start a rescue shell. */
    public Break breakpoint() {
        return breakpoint;
    }

    /** liftoff.timeout=: seconds to wait for the root device without rootwait (default 30). */
    public int timeoutSeconds() {
        return timeoutSeconds;
    }

    /** liftoff.modules=a,b: modules to load besides those the hardware asks for. */
    public List<String> modules() {
        return Collections.unmodifiableList(modules);
    }

    /** modprobe.blacklist=a,b: modules never to load. */
    public List<String> blacklist() {
        return Collections.unmodifiableList(blacklist);
    }

    /**
     * The value of the last {@code key=value} before "--" for options without an accessor
     * (console=, a driver's option); "" for a bare {@code key}, null when absent.
     */
    public String value(String key) {
        for (int i = parameters.size() - 1; i >= 0; i--) {
            String[] p = parameters.get(i);
            if (p[0].equals(key)) {
                return p[1] == null ? "" : p[1];
            }
        }
        return null;
    }

    /** Every value of a repeatable {@code key=value} before "--", in order ("" for a bare {@code key}). */
    public List<String> values(String key) {
        List<String> values = new ArrayList<>();
        for (String[] p : parameters) {
            if (p[0].equals(key)) values.add(p[1] == null ? "" : p[1]);
        }
        return values;
    }

    /**
     * Module options given as {@code module.option=value} (what modprobe reads from /proc/cmdline
     * for modules loaded after boot), by module name with '-' as '_': "option=value option2".
     */
    public Map<String, String> moduleParameters() {
        Map<String, String> byModule = new HashMap<>();
        for (String[] p : parameters) {
            int dot = p[0].indexOf('.');
            if (dot <= 0 || dot == p[0].length() - 1) continue;
            String module = p[0].substring(0, dot).replace('-', '_');
            if (module.equals("liftoff") || module.equals("modprobe")) continue;
            String option = p[0].substring(dot + 1) + (p[1] == null ? "" : "=" + quoteIfSpaced(p[1]));
            byModule.merge(module, option, (a, b) -> a + " " + b);
        }
        return byModule;
    }

    private static String quoteIfSpaced(String value) {
        return value.indexOf(' ') >= 0 ? "\"" + value + "\"" : value;
    }

    /** What was malformed, one line each, for the console; empty when all was well. */
    public List<String> problems() {
        return Collections.unmodifiableList(problems);
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
