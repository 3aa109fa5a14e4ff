package liftoff.image;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Keeps a kind of cache entry (runtimes, AOT caches, jdeps answers) to a number, the least recently
 * used going first. An entry's mtime is its last use: a hit sets it to now. The images do not see
 * it: the cpio writer clamps every mtime to SOURCE_DATE_EPOCH. A cache that cannot be changed
 * (read-only, full) is left as it is: that costs disk space, never a build.
 */
final class CacheLimit {
    private CacheLimit() {}

    /** Marks {@code entry} as used now. */
    static void touch(Path entry) {
        try {
            Files.setLastModifiedTime(entry, FileTime.fromMillis(System.currentTimeMillis()));
        } catch (IOException readOnlyCache) {
            // It may be evicted sooner than it should: rebuilt, never wrong.
        }
    }

    /**
     * Deletes all but the {@code keep} most recently used entries of {@code dir} whose names start with
     * {@code prefix} and end with {@code suffix}.
     */
    static void keepNewest(Path dir, String prefix, String suffix, int keep) {
        try {
            List<Path> entries;
            try (Stream<Path> list = Files.list(dir)) {
                entries = list.filter(p -> {
                    String name = p.getFileName().toString();
                    return name.startsWith(prefix) && name.endsWith(suffix);
                }).toList();
            }
            if (entries.size() <= keep) return;
            List<Path> newestFirst = entries.stream().sorted(Comparator.comparing(CacheLimit::lastUse).reversed()).toList();
            for (Path old : newestFirst.subList(keep, newestFirst.size())) {
                Cleanup.deleteTree(old);
            }
        } catch (IOException | UncheckedIOException cannotEvict) {
            // The cache stays larger than it should: the build is not affected.
        }
    }

    private static FileTime lastUse(Path entry) {
        try {
            return Files.getLastModifiedTime(entry);
        } catch (IOException gone) {
            return FileTime.fromMillis(0);   // deleted meanwhile: first to go
        }
    }
}
