package liftoff.init.cmdline;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import liftoff.init.root.RootSpec;

/**
 * What the command line says about the root and the init in it: which device, how to mount it, how
 * long to wait for it (and for the LUKS and verity devices under it), and what to exec.
 *
 * <p>Two sets of words can name the root. Usually {@code root=}, {@code rootfstype=},
 * {@code rootflags=}, {@code ro}/{@code rw}, {@code rootwait}, {@code rootdelay=} and {@code init=},
 * which the kernel ignores when it boots an initramfs. When liftoff itself runs from a partition the
 * kernel mounted (no initramfs), those words are the kernel's own and describe that partition; the
 * real root is then named with the same words behind "liftoff." ({@code liftoff.root=},
 * {@code liftoff.rootfstype=}, {@code liftoff.rootflags=}, {@code liftoff.rw} or {@code liftoff.ro},
 * {@code liftoff.rootwait}, {@code liftoff.rootdelay=}, {@code liftoff.init=}). A
 * {@code liftoff.root=} anywhere on the line makes the second set the one that counts.
 *
 * @param spec            root=, or null when absent or malformed; with roothash= and no root= the
 *                        verity mapping ({@link VerityOptions#DEVICE}), as systemd has it
 * @param initramfs       root=initramfs: no root device; the image is the whole system, handed
 *                        over in a tmpfs so that it can pivot_root later
 * @param liftoffRoot     the root was named with liftoff.root= and its companions, not with the
 *                        kernel's root= (which then names the partition liftoff runs from)
 * @param fsTypes         rootfstype=a,b: the types to try, in order; empty to let the mount try the probed type
 * @param flags           rootflags= (filesystem-specific mount data), or null
 * @param readOnly        mount root read-only: the kernel's default, and the last of ro/rw wins
 * @param overlay         liftoff.overlay=tmpfs: the root device read-only below a tmpfs
 * @param rootWait        rootwait: keep waiting for the root device instead of giving up after liftoff.timeout
 * @param rootWaitSeconds rootwait=N (Linux 6.5+): wait at most N seconds; empty for plain rootwait (no limit)
 * @param delaySeconds    rootdelay=: seconds to sleep before looking for the root device (default 0)
 * @param timeoutSeconds  liftoff.timeout=: seconds to wait for the root device without rootwait (default 30)
 * @param initCandidates  the programs to exec as the real init, in order: init= alone when given (the
 *                        kernel does not fall back from an explicit init=), else /sbin/init, /etc/init,
 *                        /bin/init, /bin/sh
 * @param initArguments   the words after a bare "--": argv[1..] for the real init
 * @param oldRoot         liftoff.oldroot=: where, inside the new root, the partition liftoff ran from
 *                        stays mounted after the hand-over ({@value #DEFAULT_OLD_ROOT} by default)
 */
public record RootOptions(RootSpec spec, boolean initramfs, boolean liftoffRoot, List<String> fsTypes, String flags,
        boolean readOnly, boolean overlay, boolean rootWait, OptionalInt rootWaitSeconds, int delaySeconds, int timeoutSeconds,
        List<String> initCandidates, List<String> initArguments, String oldRoot) {

    /**
     * Under /run, which the hand-over moves into the new root: it always exists there and is always
     * writable, whatever the new root holds, and hides nothing of it.
     */
    public static final String DEFAULT_OLD_ROOT = "/run/liftoff/early";
    /** The root= (or liftoff.root=) value for a system that is the initramfs itself. */
    public static final String INITRAMFS = "initramfs";
    /** The kernel's fallbacks, tried in order when init= is absent (init/main.c). */
    private static final List<String> DEFAULT_INITS = List.of("/sbin/init", "/etc/init", "/bin/init", "/bin/sh");
    private static final int DEFAULT_TIMEOUT_SECONDS = 30;

    /** How long to wait for a device, in milliseconds; -1 for ever (plain rootwait). */
    public long waitLimitMs() {
        if (!rootWait) return timeoutSeconds * 1000L;
        return rootWaitSeconds.isPresent() ? rootWaitSeconds.getAsInt() * 1000L : -1;
    }

    /** The option that named the root, as one would write it again: "root=/dev/vda", "liftoff.root=UUID=...". */
    public String rootWord() {
        return (liftoffRoot ? "liftoff.root=" : "root=") + (initramfs ? INITRAMFS : spec == null ? "(none)" : spec.toString());
    }

    /** Reads both sets of root words, liftoff.timeout=, liftoff.overlay=, liftoff.oldroot= and "--". */
    static final class Parser {
        private final List<String> problems;
        private final RootWords kernel;
        private final RootWords liftoff;
        private final List<String> initArguments = new ArrayList<>();
        private boolean overlay;
        private int timeoutSeconds = DEFAULT_TIMEOUT_SECONDS;
        private String oldRoot = DEFAULT_OLD_ROOT;

        Parser(List<String> problems) {
            this.problems = problems;
            this.kernel = new RootWords("", problems);
            this.liftoff = new RootWords("liftoff.", problems);
        }

        /** Takes {@code key=value} ({@code value} null for a bare word) if it is one of these options. */
        boolean take(String key, String value) {
            if (kernel.take(key, value) || liftoff.take(key, value)) return true;
            switch (key) {
                case "liftoff.timeout" -> timeoutSeconds = seconds(key, value, timeoutSeconds, problems);
                case "liftoff.overlay" -> overlay = overlay(value);
                case "liftoff.oldroot" -> oldRoot = oldRoot(value);
                default -> {
                    return false;
                }
            }
            return true;
        }

        /** A word after "--", which the kernel hands to init as argv with "key=value" joined again. */
        void initArgument(String key, String value) {
            initArguments.add(value == null ? key : key + "=" + value);
        }

        /** @param verity whether roothash= asks for a verity root, which root= then defaults to */
        RootOptions finish(boolean verity) {
            RootWords words = liftoff.rootGiven ? liftoff : kernel;
            if (!liftoff.rootGiven) {
                for (String key : liftoff.companions) problems.add(key + " goes with liftoff.root=, which is not given; ignored");
            }
            RootSpec root = !words.rootGiven && verity ? VerityOptions.DEVICE : words.spec;
            return new RootOptions(root, words.initramfs, liftoff.rootGiven, words.fsTypes, words.flags, words.readOnly, overlay,
                    words.rootWait, words.rootWaitSeconds < 0 ? OptionalInt.empty() : OptionalInt.of(words.rootWaitSeconds),
                    words.delaySeconds, timeoutSeconds, words.init != null ? List.of(words.init) : DEFAULT_INITS,
                    List.copyOf(initArguments), oldRoot);
        }

        /** Only tmpfs is an upper layer liftoff makes; anything else boots without an overlay, as it says. */
        private boolean overlay(String value) {
            if ("tmpfs".equals(value)) return true;
            problems.add("liftoff.overlay=" + (value == null ? "" : value) + " is not tmpfs; booting without an overlay");
            return false;
        }

        /** An absolute path below /, written plainly: no "..", ".", "//" or trailing slash to guess at. */
        private String oldRoot(String value) {
            if (value != null && value.length() > 1 && value.startsWith("/") && Path.of(value).normalize().toString().equals(value)) {
                return value;
            }
            problems.add("liftoff.oldroot=" + (value == null ? "" : value) + " is not a plain absolute path below /"
                    + " (such as /boot); using " + oldRoot);
            return oldRoot;
        }
    }

    /** A number of seconds, or {@code current} with a problem saying so. */
    private static int seconds(String key, String value, int current, List<String> problems) {
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

    /**
     * One set of words naming a root: root=, rootfstype=, rootflags=, ro, rw, rootwait, rootdelay=
     * and init=, each behind {@code prefix} ("" for the kernel's, "liftoff." for liftoff's own). The
     * last of each wins.
     */
    private static final class RootWords {
        private final String prefix;
        private final List<String> problems;
        /** The words other than root= that were given, for saying they are ignored without it. */
        private final List<String> companions = new ArrayList<>();
        private RootSpec spec;
        private boolean rootGiven;
        private boolean initramfs;
        private List<String> fsTypes = List.of();
        private String flags;
        private boolean readOnly = true;
        private boolean rootWait;
        private int rootWaitSeconds = -1;
        private int delaySeconds;
        private String init;

        RootWords(String prefix, List<String> problems) {
            this.prefix = prefix;
            this.problems = problems;
        }

        boolean take(String key, String value) {
            if (!key.startsWith(prefix)) return false;
            String name = key.substring(prefix.length());
            switch (name) {
                case "root" -> root(value == null ? "" : value);
                case "rootfstype" -> fsTypes = fsTypes(key, value);
                case "rootflags" -> flags = nonEmpty(key, value, flags);
                case "ro" -> readOnly = true;
                case "rw" -> readOnly = false;
                case "rootwait" -> {
                    rootWait = true;
                    rootWaitSeconds = value == null ? -1 : seconds(key, value, -1, problems);
                }
                case "rootdelay" -> delaySeconds = seconds(key, value, delaySeconds, problems);
                case "init" -> init = nonEmpty(key, value, init);
                default -> {
                    return false;
                }
            }
            if (!name.equals("root") && !companions.contains(key)) companions.add(key);
            return true;
        }

        private void root(String value) {
            rootGiven = true;
            if (value.equals(INITRAMFS)) {
                initramfs = true;
                spec = null;
                return;
            }
            try {
                spec = RootSpec.parse(value);
                initramfs = false;
            } catch (IllegalArgumentException e) {
                // RootSpec's messages start with "root=": the word as written is prefix + that.
                String kept = initramfs ? "keeping " + prefix + "root=" + INITRAMFS
                        : spec == null ? "no root device" : "keeping " + prefix + "root=" + spec;
                problems.add(prefix + e.getMessage() + "; " + kept);
            }
        }

        private List<String> fsTypes(String key, String value) {
            List<String> types = Cmdline.commaSeparated(value);
            if (types.isEmpty()) {
                problems.add(key + "= needs a value; ignored");
                return fsTypes;
            }
            return types;
        }

        private String nonEmpty(String key, String value, String current) {
            if (value == null || value.isEmpty()) {
                problems.add(key + "= needs a value; ignored");
                return current;
            }
            return value;
        }
    }
}
