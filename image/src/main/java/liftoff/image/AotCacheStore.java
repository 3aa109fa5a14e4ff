package liftoff.image;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Keeps trained AOT caches between builds, keyed by everything that goes into the image besides
 * the cache (every entry's name, mode and content, /jvm.args with the JVM options among them). The JDK does not write
 * an AOT cache deterministically (two trainings of the same image differ in about 3% of the
 * bytes; docs/build.md "Reproducible images"), so reusing the first one is what makes a rebuild
 * give the same bytes; it also saves the training run, the slowest step of a build.
 */
final class AotCacheStore {
    /**
     * How many trained caches are kept, the most recently used: one per distinct image content, 13 to
     * 14 MB each, so about 110 MB at most.
     */
    static final int KEPT = 8;

    private static final String SUFFIX = ".aot";

    private final Path dir;

    AotCacheStore(Path cacheDir) {
        this.dir = cacheDir.resolve("aot");
    }

    /** The key of a planned image (without its cache). */
    static String key(ImageLayout.Plan plan) throws IOException {
        MessageDigest sha = sha256();
        for (ImageEntry entry : plan.entries()) {
            // A file is known by its name, mode and content: its staging path changes every build.
            update(sha, entry instanceof ImageEntry.File f ? "file " + f.name() + " " + f.mode() : entry.line());
            if (entry instanceof ImageEntry.File f) {
                try (InputStream in = Files.newInputStream(f.source())) {
                    byte[] buf = new byte[1 << 16];
                    for (int n; (n = in.read(buf)) > 0; ) sha.update(buf, 0, n);
                }
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    /** The cache trained for {@code key}, marked as just used. */
    Optional<Path> find(String key) {
        Path cached = dir.resolve(key + SUFFIX);
        if (!Files.isRegularFile(cached)) return Optional.empty();
        CacheLimit.touch(cached);
        return Optional.of(cached);
    }

    /**
     * Stores a freshly trained cache, and drops the least recently used beyond {@link #KEPT}; a
     * failure to store costs only the next build's time.
     *
     * @return where it is kept, or empty when it could not be stored
     */
    Optional<Path> put(String key, Path cache) {
        Path stored = dir.resolve(key + SUFFIX);
        try {
            Files.createDirectories(dir);
            Path partial = Cleanup.tempFile(dir, "." + key + "-", ".partial");
            try {
                Files.copy(cache, partial, StandardCopyOption.REPLACE_EXISTING);
                Files.move(partial, stored, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Cleanup.delete(partial);
            }
        } catch (IOException ignored) {
            // The cache directory is read-only or full: the image itself is not affected.
            return Optional.empty();
        }
        CacheLimit.keepNewest(dir, "", SUFFIX, KEPT);
        return Optional.of(stored);
    }

    private static void update(MessageDigest sha, String text) {
        sha.update(text.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("every JDK has SHA-256", e);
        }
    }
}
