package liftoff.init.luks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import liftoff.init.cmdline.Cmdline;

/**
 * The LUKS options of the command line, in the forms dracut and systemd read them:
 * {@code rd.luks.uuid=UUID} (repeatable; a "luks-" prefix is allowed), {@code rd.luks.name=UUID=NAME}
 * (repeatable; opens that UUID as /dev/mapper/NAME), {@code rd.luks.options=discard} and
 * {@code rd.luks.key=KEYPATH[:KEYDEV]} (a key file inside the image). A volume without a name is
 * mapped as luks-UUID. Malformed values are problems, never exceptions.
 */
public record LuksOptions(List<Volume> volumes, boolean discard, String keyPath, String keyDevice, List<String> problems) {

    /** One device to open: its LUKS UUID and the device-mapper name to give it. */
    record Volume(String uuid, String name) {}

    public static LuksOptions from(Cmdline cmdline) {
        List<String> problems = new ArrayList<>();
        Map<String, String> names = new LinkedHashMap<>();
        for (String value : cmdline.values("rd.luks.uuid")) {
            String uuid = uuid(value.startsWith("luks-") ? value.substring(5) : value, "rd.luks.uuid", problems);
            if (uuid != null) names.putIfAbsent(uuid, "luks-" + uuid);
        }
        for (String value : cmdline.values("rd.luks.name")) {
            int eq = value.indexOf('=');
            String uuid = eq < 0 ? null : uuid(value.substring(0, eq), "rd.luks.name", problems);
            String name = eq < 0 ? "" : value.substring(eq + 1);
            if (uuid == null || !isName(name)) {
                problems.add("rd.luks.name=" + value + ": expected UUID=NAME (NAME of letters, digits, _ . + -); ignored");
                continue;
            }
            names.put(uuid, name);
        }
        boolean discard = false;
        for (String value : cmdline.values("rd.luks.options")) {
            for (String option : value.split(",")) {
                if (option.equals("discard")) {
                    discard = true;
                } else if (!option.isEmpty()) {
                    problems.add("rd.luks.options: \"" + option + "\" is not supported (only discard); ignored");
                }
            }
        }
        String keyPath = null;
        String keyDevice = null;
        String key = cmdline.value("rd.luks.key");
        if (key != null) {
            int colon = key.indexOf(':');
            keyPath = colon < 0 ? key : key.substring(0, colon);
            keyDevice = colon < 0 || colon == key.length() - 1 ? null : key.substring(colon + 1);
            if (!keyPath.startsWith("/")) {
                problems.add("rd.luks.key=" + key + ": the key file must be an absolute path in the image; ignored");
                keyPath = null;
                keyDevice = null;
            }
        }
        List<Volume> volumes = new ArrayList<>();
        names.forEach((uuid, name) -> volumes.add(new Volume(uuid, name)));
        return new LuksOptions(List.copyOf(volumes), discard, keyPath, keyDevice, List.copyOf(problems));
    }

    private static String uuid(String text, String option, List<String> problems) {
        if (isUuid(text)) return text.toLowerCase(Locale.ROOT);
        problems.add(option + "=" + text + ": not a UUID; ignored");
        return null;
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
