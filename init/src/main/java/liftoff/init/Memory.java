package liftoff.init;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What the init's memory use is at hand-over: its own peak RSS and what the system has left. */
final class Memory {
    private Memory() {}

    /** "peak RSS 41 MiB, MemAvailable 812 MiB", or what of it could be read. */
    static String summary() {
        return "peak RSS " + field(Path.of("/proc/self/status"), "VmHWM:") + ", MemAvailable "
                + field(Path.of("/proc/meminfo"), "MemAvailable:");
    }

    /** A "Name:   1234 kB" field in MiB. */
    private static String field(Path file, String name) {
        try {
            for (String line : Files.readAllLines(file)) {
                if (line.startsWith(name)) {
                    // "   1234 kB": the number before the unit (no regex split: it costs ms under -Xint).
                    String value = line.substring(name.length()).strip();
                    int space = value.indexOf(' ');
                    return Long.parseLong(space < 0 ? value : value.substring(0, space)) / 1024 + " MiB";
                }
            }
        } catch (IOException | NumberFormatException e) {
            // Reported as unknown: a memory figure must never stop a boot.
        }
        return "unknown";
    }
}
