package liftoff.image;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The library directories listed in /etc/ld.so.conf, read the way ldconfig reads it: one or more
 * directories per line (separated by blanks, ':' or ','), '#' comments, {@code include GLOB} lines
 * (relative globs are relative to the including file's directory; only the last path component may
 * contain wildcards, as in every distribution's "include /etc/ld.so.conf.d/*.conf"), and {@code hwcap}
 * lines ignored. A missing file lists nothing.
 */
public final class LdSoConf {
    private LdSoConf() {}

    /** The directories in file order, without duplicates. */
    public static List<Path> read(Path file) throws IOException {
        List<Path> dirs = new ArrayList<>();
        read(file, dirs, new HashSet<>());
        return dirs.stream().distinct().toList();
    }

    private static void read(Path file, List<Path> dirs, Set<Path> seen) throws IOException {
        if (!Files.isRegularFile(file) || !seen.add(file.toAbsolutePath().normalize())) {
            return; // missing, or an include cycle
        }
        int lineNumber = 0;
        for (String raw : Files.readAllLines(file)) {
            lineNumber++;
            int hash = raw.indexOf('#');
            String line = (hash >= 0 ? raw.substring(0, hash) : raw).strip();
            if (line.isEmpty() || line.startsWith("hwcap ")) {
                continue;
            }
            if (line.startsWith("include ") || line.startsWith("include\t")) {
                for (String pattern : line.substring("include".length()).strip().split("\\s+")) {
                    for (Path included : glob(file.toAbsolutePath().getParent(), pattern, file, lineNumber)) {
                        read(included, dirs, seen);
                    }
                }
                continue;
            }
            for (String dir : line.split("[\\s:,]+")) {
                if (dir.startsWith("/")) {
                    dirs.add(Path.of(dir).normalize());
                } else if (!dir.isEmpty()) {
                    throw new IOException(file + ":" + lineNumber + ": library directory '" + dir + "' is not absolute");
                }
            }
        }
    }

    private static List<Path> glob(Path base, String pattern, Path file, int lineNumber) throws IOException {
        Path full = base.resolve(pattern);
        Path dir = full.getParent();
        String name = full.getFileName().toString();
        if (dir.toString().matches(".*[*?\\[].*")) {
            throw new IOException(file + ":" + lineNumber + ": wildcards are supported only in the last component of '"
                    + pattern + "'");
        }
        Set<Path> matches = new TreeSet<>(); // ldconfig processes the matches sorted
        if (Files.isDirectory(dir)) {
            try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, name)) {
                stream.forEach(matches::add);
            }
        }
        return List.copyOf(matches);
    }
}
