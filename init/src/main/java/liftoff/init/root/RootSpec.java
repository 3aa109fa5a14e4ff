package liftoff.init.root;

import java.util.Locale;

/**
 * What root= names: a device path, a filesystem UUID or LABEL, a partition's PARTUUID (optionally
 * with /PARTNROFF=n, "the partition n after that one") or PARTLABEL, or a device number. The udev
 * paths /dev/disk/by-uuid/… and friends are read as the tag they spell, since no udev runs in the
 * initramfs to create them.
 *
 * @param kind            how {@code value} is matched
 * @param value           the path, UUID, label or "major:minor"; UUIDs are lower-cased
 * @param partitionOffset for PARTUUID only: the /PARTNROFF= offset, else 0
 */
public record RootSpec(Kind kind, String value, int partitionOffset) {

    public enum Kind { PATH, UUID, LABEL, PARTUUID, PARTLABEL, DEVNUM }

    private static final String PARTNROFF = "/PARTNROFF=";

    /**
     * Parses a root= value the way the kernel and the common initramfs tools accept it.
     *
     * @throws IllegalArgumentException with a message fit for the console when it is malformed
     */
    public static RootSpec parse(String text) {
        if (text.isEmpty()) {
            throw new IllegalArgumentException("root= is empty");
        }
        String upper = text.toUpperCase(Locale.ROOT);
        if (upper.startsWith("UUID=")) {
            return new RootSpec(Kind.UUID, tag(text, 5, "UUID").toLowerCase(Locale.ROOT), 0);
        }
        if (upper.startsWith("LABEL=")) {
            return new RootSpec(Kind.LABEL, tag(text, 6, "LABEL"), 0);
        }
        if (upper.startsWith("PARTLABEL=")) {
            return new RootSpec(Kind.PARTLABEL, tag(text, 10, "PARTLABEL"), 0);
        }
        if (upper.startsWith("PARTUUID=")) {
            return partUuid(text.substring(9));
        }
        if (text.startsWith("/dev/disk/by-")) {
            RootSpec byTag = udevLink(text);
            if (byTag != null) {
                return byTag;
            }
        }
        if (text.startsWith("/")) {
            return new RootSpec(Kind.PATH, text, 0);
        }
        return deviceNumber(text);
    }

    /** The major number of a DEVNUM spec. */
    public int major() {
        return Integer.parseInt(value.substring(0, value.indexOf(':')));
    }

    /** The minor number of a DEVNUM spec. */
    public int minor() {
        return Integer.parseInt(value.substring(value.indexOf(':') + 1));
    }

    /** root= as one would write it again; used in messages ("waiting for root=UUID=…"). */
    @Override
    public String toString() {
        return switch (kind) {
            case PATH, DEVNUM -> value;
            case PARTUUID -> partitionOffset == 0 ? "PARTUUID=" + value
                    : "PARTUUID=" + value + PARTNROFF + partitionOffset;
            default -> kind.name() + "=" + value;
        };
    }

    private static String tag(String text, int prefix, String name) {
        String value = text.substring(prefix);
        if (value.isEmpty()) {
            throw new IllegalArgumentException("root=" + name + "= names no " + name);
        }
        return value;
    }

    private static RootSpec partUuid(String rest) {
        int offsetAt = rest.toUpperCase(Locale.ROOT).indexOf(PARTNROFF);
        String uuid = offsetAt < 0 ? rest : rest.substring(0, offsetAt);
        if (uuid.isEmpty()) {
            throw new IllegalArgumentException("root=PARTUUID= names no PARTUUID");
        }
        int offset = 0;
        if (offsetAt >= 0) {
            String number = rest.substring(offsetAt + PARTNROFF.length());
            try {
                offset = Integer.parseInt(number);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("root=PARTUUID=" + rest + ": PARTNROFF '" + number
                        + "' is not a number");
            }
        }
        return new RootSpec(Kind.PARTUUID, uuid.toLowerCase(Locale.ROOT), offset);
    }

    /** /dev/disk/by-uuid/X and its siblings; udev escapes unsafe bytes as \xNN in X. */
    private static RootSpec udevLink(String path) {
        String[][] links = {
            {"/dev/disk/by-uuid/", "UUID"}, {"/dev/disk/by-label/", "LABEL"},
            {"/dev/disk/by-partuuid/", "PARTUUID"}, {"/dev/disk/by-partlabel/", "PARTLABEL"},
        };
        for (String[] link : links) {
            if (path.startsWith(link[0]) && path.length() > link[0].length()) {
                return parse(link[1] + "=" + unescapeUdev(path.substring(link[0].length())));
            }
        }
        return null;
    }

    private static String unescapeUdev(String name) {
        StringBuilder out = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '\\' && i + 3 < name.length() && name.charAt(i + 1) == 'x'
                    && isHex(name, i + 2, i + 4)) {
                out.append((char) Integer.parseInt(name, i + 2, i + 4, 16));
                i += 3;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /**
     * "major:minor" in decimal, or the kernel's old hex encoding ("0803" is 8:3): the low byte and
     * bits 20+ are the minor, bits 8-19 the major (new_decode_dev).
     */
    private static RootSpec deviceNumber(String text) {
        int colon = text.indexOf(':');
        if (colon > 0 && isDecimal(text, 0, colon) && isDecimal(text, colon + 1, text.length())) {
            int major = Integer.parseInt(text, 0, colon, 10);
            int minor = Integer.parseInt(text, colon + 1, text.length(), 10);
            return new RootSpec(Kind.DEVNUM, major + ":" + minor, 0);
        }
        if (text.length() <= 8 && isHex(text, 0, text.length())) {
            long dev = Long.parseLong(text, 16);
            long major = (dev & 0xfff00) >> 8;
            long minor = (dev & 0xff) | ((dev >> 12) & 0xfff00);
            return new RootSpec(Kind.DEVNUM, major + ":" + minor, 0);
        }
        throw new IllegalArgumentException("root=" + text + " is not a device: expected /dev/NAME, UUID=, LABEL=,"
                + " PARTUUID=, PARTLABEL=, MAJOR:MINOR or hex like 0803");
    }

    private static boolean isDecimal(String s, int from, int to) {
        if (from >= to || to - from > 9) {
            return false;
        }
        for (int i = from; i < to; i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    private static boolean isHex(String s, int from, int to) {
        if (from >= to) {
            return false;
        }
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F')) {
                return false;
            }
        }
        return true;
    }
}
