package liftoff.init;

import java.io.BufferedReader;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Whether the JVM really uses the image's AOT cache. A cache the JVM rejects (another JDK build, other
 * JVM options, a damaged file) is not an error to the JVM: it starts without it, about 0.1 s slower,
 * and says why only in its log. The image's JVM options send that log to a file
 * ({@code -Xlog:aot*=warning:file=...}); this class reads it, so the boot log can say why.
 *
 * <p>The truth is /proc/self/maps: a cache in use is mapped from its file for the whole run.
 * Checked after the API filesystems are mounted (/proc), at a cost of a few ms.
 */
final class AotStatus {
    private static final String CACHE_OPTION = "-XX:AOTCache=";
    private static final String LOG_OPTION = "-Xlog:aot*=warning:file=";

    private AotStatus() {}

    /** Empty when the JVM mapped its AOT cache, else why it runs without one. */
    static Optional<String> problem() {
        return problem(jvmOptions(Path.of("/proc/self/cmdline")), Path.of("/proc/self/maps"));
    }

    /** The decision, from the JVM's options and its memory map (a /proc/PID/maps file). */
    static Optional<String> problem(List<String> options, Path maps) {
        Optional<String> cache = value(options, CACHE_OPTION);
        if (cache.isEmpty()) {
            return Optional.of("the image has none (its training failed when the image was built)");
        }
        if (maps(maps, cache.get())) {
            return Optional.empty();
        }
        String reason = value(options, LOG_OPTION)
                .map(log -> String.join("; ", read(Path.of(log.split(":", 2)[0])).strip().lines().toList()))
                .filter(text -> !text.isEmpty())
                .orElse("the JVM did not map " + cache.get() + " and logged no reason");
        return Optional.of(reason);
    }

    /**
     * The JVM's command line with argument files ({@code @/jvm.args}, one option per line as the image
     * writes them) expanded: the options are not otherwise visible to java.base code.
     */
    static List<String> jvmOptions(Path cmdline) {
        List<String> options = new ArrayList<>();
        for (String arg : read(cmdline).split("\0")) {
            if (arg.startsWith("@")) {
                for (String line : read(Path.of(arg.substring(1))).split("\n")) {   // plain loops: no lambdas to link at boot
                    String option = line.strip();
                    if (!option.isEmpty()) options.add(option);
                }
            } else {
                options.add(arg);
            }
        }
        return options;
    }

    /**
     * Whether a line of {@code maps} maps {@code file}. Read line by line and stopped at the first
     * hit: the whole map is tens of kB, slow to decode in the interpreter the init runs in, and the
     * cache (mapped at a fixed low address, -XX:ArchiveRelocationMode=0) comes within its first lines.
     */
    private static boolean maps(Path maps, String file) {
        String suffix = " " + file;
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(new FileInputStream(maps.toFile()),
                StandardCharsets.ISO_8859_1))) {
            for (String line; (line = lines.readLine()) != null; ) {
                if (line.endsWith(suffix)) return true;
            }
        } catch (IOException e) {
            // Unreadable: reported as not mapped, with the JVM's log as the reason if it has one.
        }
        return false;
    }

    /** The last option's value that starts with {@code prefix}, as the JVM takes the last of a repeated option. */
    private static Optional<String> value(List<String> options, String prefix) {
        String last = null;
        for (String option : options) {
            if (option.startsWith(prefix)) last = option.substring(prefix.length());
        }
        return Optional.ofNullable(last);
    }

    /** A file's text, empty when it cannot be read: a status report must never stop the boot. */
    private static String read(Path file) {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
