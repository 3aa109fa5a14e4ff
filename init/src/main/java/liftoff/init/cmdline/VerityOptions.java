package liftoff.init.cmdline;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import liftoff.init.root.RootSpec;

/**
 * A dm-verity root as systemd names it: {@code roothash=HEX}, {@code systemd.verity_root_data=DEV},
 * {@code systemd.verity_root_hash=DEV} and {@code systemd.verity_root_options=a,b}; the last of
 * each wins. Without the data and hash devices the partitions are found as systemd's
 * auto-discovery finds them: the data partition's PARTUUID is the root hash's first 128 bits, the
 * hash partition's its last 128 bits. A verity root is there to refuse what it cannot check, so a
 * malformed one is not guessed at: its problems stop the boot when the mapping is to be made.
 *
 * @param rootHash   the root hash, lower-case hex
 * @param data       the data device
 * @param hash       the hash device (the same as data for a hash-offset= layout)
 * @param hashOffset where the superblock sits on the hash device, in bytes
 * @param flags      the kernel's optional verity arguments (ignore-corruption, ...), each once, in order
 * @param problems   why this verity root cannot be set up (also in {@link Cmdline#problems()}); when
 *                   there are any, the devices may be null
 */
public record VerityOptions(String rootHash, RootSpec data, RootSpec hash, long hashOffset, List<String> flags,
        List<String> problems) {

    /** The device-mapper name of the verity root. */
    public static final String MAPPING = "root";
    /** The verity root's device, which root= defaults to when roothash= is given. */
    public static final RootSpec DEVICE = new RootSpec(RootSpec.Kind.PATH, "/dev/mapper/" + MAPPING, 0);

    /** The verity target's flag arguments (Documentation/admin-guide/device-mapper/verity.rst), as systemd spells them. */
    private static final List<String> KERNEL_FLAGS = List.of("ignore-corruption", "restart-on-corruption",
            "panic-on-corruption", "ignore-zero-blocks", "check-at-most-once");

    /** Keeps the last value of each option; they are checked together once ro/rw and the overlay are known. */
    static final class Parser {
        private final List<String> problems;
        private String rootHash;
        private String data;
        private String hash;
        private String options;

        Parser(List<String> problems) {
            this.problems = problems;
        }

        boolean take(String key, String value) {
            String text = value == null ? "" : value;
            switch (key) {
                case "roothash" -> rootHash = text;
                case "systemd.verity_root_data" -> data = text;
                case "systemd.verity_root_hash" -> hash = text;
                case "systemd.verity_root_options" -> options = text;
                default -> {
                    return false;
                }
            }
            return true;
        }

        /** Whether roothash= asks for a verity root. */
        boolean requested() {
            return rootHash != null;
        }

        /** The verity root, or null when there is no roothash=; its problems are added to the command line's. */
        VerityOptions finish(boolean readOnly, boolean overlay) {
            if (rootHash == null) return null;
            List<String> wrong = new ArrayList<>();
            if (!readOnly && !overlay) {
                // The mapping is read-only: a rw mount would fail with a bare EACCES.
                wrong.add("rw: a verity root is read-only; boot with ro, or add liftoff.overlay=tmpfs for a writable layer over it");
            }
            String hex = rootHash.toLowerCase(Locale.ROOT);
            boolean hashOk = isRootHash(hex);
            if (!hashOk) wrong.add("roothash=" + hex + " is not a hash in hex (40 to 128 hex digits)");
            RootSpec dataDevice = device("systemd.verity_root_data", data, hashOk ? hex.substring(0, 32) : null, wrong);
            RootSpec hashDevice = device("systemd.verity_root_hash", hash, hashOk ? hex.substring(hex.length() - 32) : null, wrong);
            long hashOffset = 0;
            List<String> flags = new ArrayList<>();
            for (String option : Cmdline.commaSeparated(options)) {
                if (option.equals("superblock=true")) continue;
                if (option.startsWith("hash-offset=")) {
                    hashOffset = hashOffset(option.substring("hash-offset=".length()), hashOffset, wrong);
                } else if (KERNEL_FLAGS.contains(option)) {
                    if (!flags.contains(option)) flags.add(option);
                } else {
                    wrong.add("systemd.verity_root_options: '" + option + "' is not supported"
                            + " (liftoff knows hash-offset=, superblock=true, " + String.join(", ", KERNEL_FLAGS) + ")");
                }
            }
            problems.addAll(wrong);
            return new VerityOptions(hex, dataDevice, hashDevice, hashOffset, List.copyOf(flags), List.copyOf(wrong));
        }

        /** 40 to 128 hex digits, an even number: sha1 to sha512. */
        private static boolean isRootHash(String hex) {
            if (hex.length() < 40 || hex.length() > 128 || hex.length() % 2 != 0) return false;
            for (int i = 0; i < hex.length(); i++) {
                if (!HexFormat.isHexDigit(hex.charAt(i))) return false;
            }
            return true;
        }

        /**
         * The device {@code text} names, else the partition whose PARTUUID is these 128 bits of the
         * hash ({@code hex32}, null when the hash is malformed).
         */
        private static RootSpec device(String key, String text, String hex32, List<String> wrong) {
            if (text == null) {
                return hex32 == null ? null : new RootSpec(RootSpec.Kind.PARTUUID, hex32.substring(0, 8) + "-"
                        + hex32.substring(8, 12) + "-" + hex32.substring(12, 16) + "-" + hex32.substring(16, 20) + "-"
                        + hex32.substring(20), 0);
            }
            try {
                return RootSpec.parse(text);
            } catch (IllegalArgumentException e) {
                wrong.add(key + "=" + text + ": " + e.getMessage());
                return null;
            }
        }

        private static long hashOffset(String bytes, long current, List<String> wrong) {
            try {
                long offset = Long.parseLong(bytes);
                if (offset >= 0 && offset % 512 == 0) return offset;
            } catch (NumberFormatException e) {
                // the message below says what is wanted
            }
            wrong.add("systemd.verity_root_options: hash-offset=" + bytes + " is not a byte offset that is a multiple of 512");
            return current;
        }
    }
}
