package liftoff.image.uki;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import liftoff.image.ShellAssignments;

/**
 * os-release(5): the OS a UKI boots describes itself in {@code .osrel} with the file's own bytes;
 * boot menus show its PRETTY_NAME.
 */
public final class OsRelease {
    private OsRelease() {}

    /** The host's file: /etc/os-release, else /usr/lib/os-release, as os-release(5) says to look (under {@code root}). */
    public static Path hostFile(Path root) throws IOException {
        for (String file : List.of("etc/os-release", "usr/lib/os-release")) {
            Path path = root.resolve(file);
            if (Files.isRegularFile(path)) return path;
        }
        throw new IOException("no /etc/os-release or /usr/lib/os-release on this host");
    }

    /** PRETTY_NAME, else NAME (os-release(5)'s fallback is "Linux"; a UKI's reader wants to know it is missing). */
    public static Optional<String> prettyName(String text) throws IOException {
        Map<String, ShellAssignments.Value> values = ShellAssignments.parse(text, ".osrel");
        for (String key : List.of("PRETTY_NAME", "NAME")) {
            ShellAssignments.Value value = values.get(key);
            if (value != null && !value.words().isEmpty() && !value.words().getFirst().isBlank()) {
                return Optional.of(value.words().getFirst());
            }
        }
        return Optional.empty();
    }
}
