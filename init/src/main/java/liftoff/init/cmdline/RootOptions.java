package liftoff.init.cmdline;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import liftoff.init.root.RootSpec;

/**
 * What the command line says about the root and the init in it: which device, how to mount it, how
 * long to wait for it (and for the LUKS and verity devices under it), and what to exec.
 *
 * @param spec            root=, or null when absent or malformed; with roothash= and no root= the
 *                        verity mapping ({@link VerityOptions#DEVICE}), as systemd has it
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
 */
public record RootOptions(RootSpec spec, List<String> fsTypes, String flags, boolean readOnly, boolean overlay,
        boolean rootWait, OptionalInt rootWaitSeconds, int delaySeconds, int timeoutSeconds,
        List<String> initCandidates, List<String> initArguments) {

    /** The kernel's fallbacks, tried in order when init= is absent (init/main.c). */
    private static final List<String> DEFAULT_INITS = List.of("/sbin/init", "/etc/init", "/bin/init", "/bin/sh");
    private static final int DEFAULT_TIMEOUT_SECONDS = 30;

    /** How long to wait for a device, in milliseconds; -1 for ever (plain rootwait). */
    public long waitLimitMs() {
        if (!rootWait) return timeoutSeconds * 1000L;
        return rootWaitSeconds.isPresent() ? rootWaitSeconds.getAsInt() * 1000L : -1;
    }

    /** Reads root=, rootfstype=, rootflags=, ro, rw, rootwait, rootdelay=, liftoff.timeout=, liftoff.overlay=, init= and "--". */
    static final class Parser {
        private final List<String> problems;
        private final List<String> initArguments = new ArrayList<>();
        private RootSpec spec;
        private boolean rootGiven;
        private List<String> fsTypes = List.of();
        private String flags;
        private boolean readOnly = true;
        private boolean overlay;
        private boolean rootWait;
        private int rootWaitSeconds = -1;
        private int delaySeconds;
        private int timeoutSeconds = DEFAULT_TIMEOUT_SECONDS;
        private String init;

        Parser(List<String> problems) {
            this.problems = problems;
        }

        /** Takes {@code key=value} ({@code value} null for a bare word) if it is one of these options. */
        boolean take(String key, String value) {
            switch (key) {
                case "root" -> {
                    rootGiven = true;
                    spec = rootSpec(value);
                }
                case "rootfstype" -> fsTypes = fsTypes(value);
                case "rootflags" -> flags = nonEmpty(key, value, flags);
                case "ro" -> readOnly = true;
                case "rw" -> readOnly = false;
                case "rootwait" -> {
                    rootWait = true;
                    rootWaitSeconds = value == null ? -1 : seconds(key, value, -1);
                }
                case "rootdelay" -> delaySeconds = seconds(key, value, delaySeconds);
                case "liftoff.timeout" -> timeoutSeconds = seconds(key, value, timeoutSeconds);
                case "liftoff.overlay" -> overlay = overlay(value);
                case "init" -> init = nonEmpty(key, value, init);
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
            RootSpec root = !rootGiven && verity ? VerityOptions.DEVICE : spec;
            return new RootOptions(root, fsTypes, flags, readOnly, overlay, rootWait,
                    rootWaitSeconds < 0 ? OptionalInt.empty() : OptionalInt.of(rootWaitSeconds), delaySeconds, timeoutSeconds,
                    init != null ? List.of(init) : DEFAULT_INITS, List.copyOf(initArguments));
        }

        private RootSpec rootSpec(String value) {
            try {
                return RootSpec.parse(value == null ? "" : value);
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage() + (spec == null ? "; no root device" : "; keeping root=" + spec));
                return spec;
            }
        }

        private List<String> fsTypes(String value) {
            List<String> types = Cmdline.commaSeparated(value);
            if (types.isEmpty()) {
                problems.add("rootfstype= needs a value; ignored");
                return fsTypes;
            }
            return types;
        }

        /** Only tmpfs is an upper layer liftoff makes; anything else boots without an overlay, as it says. */
        private boolean overlay(String value) {
            if ("tmpfs".equals(value)) return true;
            problems.add("liftoff.overlay=" + (value == null ? "" : value) + " is not tmpfs; booting without an overlay");
            return false;
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
    }
}
