package liftoff.init.cmdline;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The LUKS options of the command line, in the forms dracut and systemd read them:
 * {@code rd.luks.uuid=UUID} (repeatable; a "luks-" prefix is allowed), {@code rd.luks.name=UUID=NAME}
 * (repeatable; opens that UUID as /dev/mapper/NAME), {@code rd.luks.options=discard} and
 * {@code rd.luks.key=KEYPATH} (a key file inside the image). A volume without a name is mapped as
 * luks-UUID.
 *
 * @param volumes the devices to open, in the order the command line first names them
 * @param discard rd.luks.options=discard: let discards through the mappings
 * @param keyPath rd.luks.key=: the key file to try before asking for the passphrase, or null
 */
public record LuksOptions(List<Volume> volumes, boolean discard, String keyPath) {

    /** One device to open: its LUKS UUID (lower case) and the device-mapper name to give it. */
    public record Volume(String uuid, String name) {}

    /** Reads rd.luks.*; a malformed value is a problem and is ignored. */
    static final class Parser {
        private final List<String> problems;
        /** UUID to name, in the order the UUIDs first appear. */
        private final Map<String, String> names = new LinkedHashMap<>();
        private boolean discard;
        private String keyPath;

        Parser(List<String> problems) {
            this.problems = problems;
        }

        boolean take(String key, String value) {
            String text = value == null ? "" : value;
            switch (key) {
                case "rd.luks.uuid" -> addUuid(text);
                case "rd.luks.name" -> addName(text);
                case "rd.luks.options" -> addOptions(text);
                case "rd.luks.key" -> keyPath = keyPath(text);
                default -> {
                    return false;
                }
            }
            return true;
        }

        LuksOptions finish() {
            List<Volume> volumes = new ArrayList<>();
            for (Map.Entry<String, String> e : names.entrySet()) volumes.add(new Volume(e.getKey(), e.getValue()));
            return new LuksOptions(List.copyOf(volumes), discard, keyPath);
        }

        /** An rd.luks.name= of the same UUID names it, before or after. */
        private void addUuid(String value) {
            String uuid = uuid(value.startsWith("luks-") ? value.substring(5) : value, "rd.luks.uuid");
            if (uuid != null) names.putIfAbsent(uuid, "luks-" + uuid);
        }

        private void addName(String value) {
            int eq = value.indexOf('=');
            String uuid = eq < 0 ? null : uuid(value.substring(0, eq), "rd.luks.name");
            String name = eq < 0 ? "" : value.substring(eq + 1);
            if (uuid == null || !isName(name)) {
                problems.add("rd.luks.name=" + value + ": expected UUID=NAME (NAME of letters, digits, _ . + -); ignored");
                return;
            }
            names.put(uuid, name);
        }

        private void addOptions(String value) {
            for (String option : Cmdline.commaSeparated(value)) {
                if (option.equals("discard")) {
                    discard = true;
                } else {
                    problems.add("rd.luks.options: \"" + option + "\" is not supported (only discard); ignored");
                }
            }
        }

        /** KEYPATH[:KEYDEV] as systemd spells it; only a key file in the image is read, a key device is not. */
        private String keyPath(String value) {
            int colon = value.indexOf(':');
            String path = colon < 0 ? value : value.substring(0, colon);
            if (!path.startsWith("/")) {
                problems.add("rd.luks.key=" + value + ": the key file must be an absolute path in the image; ignored");
                return keyPath;
            }
            if (colon >= 0 && colon < value.length() - 1) {
                problems.add("rd.luks.key=" + value + ": key devices are not supported; asking for the passphrase");
                return null;
            }
            return path;
        }

        private String uuid(String text, String option) {
            if (isUuid(text)) return text.toLowerCase(Locale.ROOT);
            problems.add(option + "=" + text + ": not a UUID; ignored");
            return null;
        }
    }

    // Checked by hand, not by regex: the init parses these options on every boot, and compiling
    // two patterns took 32 ms of it under -Xint.

    /** 8-4-4-4-12 hex digits. */
    static boolean isUuid(String text) {
        if (text.length() != 36) return false;
        for (int i = 0; i < 36; i++) {
            char c = text.charAt(i);
            boolean dash = i == 8 || i == 13 || i == 18 || i == 23;
            boolean hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
            if (dash ? c != '-' : !hex) return false;
        }
        return true;
    }

    /** 1 to 127 of letters, digits, _ . + - (a device-mapper name cryptsetup would accept). */
    static boolean isName(String text) {
        if (text.isEmpty() || text.length() > 127) return false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.'
                    || c == '+' || c == '-';
            if (!ok) return false;
        }
        return true;
    }
}
