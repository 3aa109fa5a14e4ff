package liftoff.sys;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One kernel uevent: "ACTION@DEVPATH" followed by NUL-separated KEY=VALUE pairs (ACTION, DEVPATH,
 * SUBSYSTEM, and MODALIAS, DEVNAME, DEVTYPE where the device has them).
 */
public record Uevent(String action, String devpath, Map<String, String> properties) {

    public String subsystem() {
        return properties.getOrDefault("SUBSYSTEM", "");
    }

    /** The device's modalias (what modules.alias patterns match), or null. */
    public String modalias() {
        return properties.get("MODALIAS");
    }

    /** A kernel datagram, or empty for anything else (udevd's "libudev" messages, garbage). */
    public static Optional<Uevent> parse(byte[] datagram) {
        String text = new String(datagram, StandardCharsets.UTF_8);
        String[] fields = text.split("\0");
        int at = fields.length == 0 ? -1 : fields[0].indexOf('@');
        if (at <= 0) return Optional.empty();
        Map<String, String> properties = new LinkedHashMap<>();
        for (int i = 1; i < fields.length; i++) {
            int eq = fields[i].indexOf('=');
            if (eq > 0) properties.put(fields[i].substring(0, eq), fields[i].substring(eq + 1));
        }
        return Optional.of(new Uevent(fields[0].substring(0, at), fields[0].substring(at + 1), Map.copyOf(properties)));
    }
}
