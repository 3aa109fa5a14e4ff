package liftoff.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store of trained AOT caches: bounded, the least recently used going first. */
class AotCacheStoreTest {
    @TempDir
    Path dir;

    @Test
    void keepsTheMostRecentlyUsedCachesOnly() throws IOException {
        Path cacheDir = dir.resolve("cache");
        AotCacheStore store = new AotCacheStore(cacheDir);
        Path trained = Files.writeString(dir.resolve("app.aot"), "a trained cache");
        // Filled up, each entry last used a minute after the one before, an hour ago.
        Instant anHourAgo = Instant.now().minusSeconds(3600);
        for (int i = 0; i < AotCacheStore.KEPT; i++) {
            store.put("key" + i, trained);
            Files.setLastModifiedTime(cacheDir.resolve("aot/key" + i + ".aot"), FileTime.from(anHourAgo.plusSeconds(60L * i)));
        }
        assertEquals(AotCacheStore.KEPT, stored(cacheDir).size());

        assertTrue(store.find("key0").isPresent(), "the oldest, used again: now the most recent");
        store.put("new", trained);

        List<String> kept = stored(cacheDir);
        assertEquals(AotCacheStore.KEPT, kept.size(), kept.toString());
        assertTrue(kept.contains("key0.aot") && kept.contains("new.aot"), kept.toString());
        assertTrue(!kept.contains("key1.aot"), "the least recently used went: " + kept);
        assertTrue(store.find("key1").isEmpty());
        assertEquals("a trained cache", Files.readString(store.find("new").orElseThrow()));
    }

    /** Every file in the store: the caches only, no half-copied one. */
    private static List<String> stored(Path cacheDir) throws IOException {
        try (Stream<Path> files = Files.list(cacheDir.resolve("aot"))) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
