package liftoff.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.TreeMap;
import liftoff.image.qemu.Kernel;
import liftoff.cpio.Entry;
import liftoff.cpio.ImageReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `liftoff build` without booting: what is in the image, and that a rebuild gives the same bytes. */
class ImageBuilderTest {
    @TempDir
    Path work;

    /**
     * Two builds on empty caches, as on two machines: every entry but the AOT cache is the same, byte
     * for byte (the JDK does not write an AOT cache deterministically: docs/build.md); with the first
     * build's AOT cache copied into its cache, the second machine builds the first one's image exactly.
     */
    @Test
    void coldBuildsDifferOnlyInTheAotCacheAndItsCopyReproducesTheImage() throws Exception {
        Kernel kernel = Kernel.newestInstalled();
        BuildConfig config = BuildConfig.defaults().with("KERNEL_VERSION", kernel.version()).with("MODULES", "")
                .with("FSCK", "").with("MICROCODE", "no");
        Path first = work.resolve("first.img");
        Path second = work.resolve("second.img");
        assertTrue(new ImageBuilder(work.resolve("cache1"), 1_700_000_000L, line -> { }).build(config, first).aotCache());
        assertTrue(new ImageBuilder(work.resolve("cache2"), 1_700_000_000L, line -> { }).build(config, second).aotCache());

        Map<String, Content> one = contents(first);
        Map<String, Content> two = contents(second);
        assertEquals(one.keySet(), two.keySet());
        for (String name : one.keySet()) {
            if (name.equals("app.aot")) continue;
            assertEquals(one.get(name).header(), two.get(name).header(), name);
            assertArrayEquals(one.get(name).body(), two.get(name).body(), name + ": same inputs, same bytes");
        }

        // What docs/build.md tells a second machine to do: take the AOT cache along.
        Path trained;
        try (var caches = Files.list(work.resolve("cache1/aot"))) {
            trained = caches.filter(p -> p.toString().endsWith(".aot")).findFirst().orElseThrow();
        }
        Files.copy(trained, work.resolve("cache2/aot").resolve(trained.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        Path third = work.resolve("third.img");
        new ImageBuilder(work.resolve("cache2"), 1_700_000_000L, line -> { }).build(config, third);
        assertArrayEquals(Files.readAllBytes(first), Files.readAllBytes(third), "the first image, byte for byte");
    }

    /** An entry's header fields but its name, and its content. */
    private record Content(String header, byte[] body) {}

    private static Map<String, Content> contents(Path image) throws Exception {
        Map<String, Content> entries = new TreeMap<>();
        try (ImageReader reader = ImageReader.open(image)) {
            for (Entry e; (e = reader.next()) != null; ) {
                String header = String.format("ino %d mode %o uid %d gid %d nlink %d mtime %d size %d rdev %d:%d", e.ino(), e.mode(),
                        e.uid(), e.gid(), e.nlink(), e.mtime(), e.size(), e.rdevMajor(), e.rdevMinor());
                entries.put(e.nameString(), new Content(header, reader.body().readAllBytes()));
            }
        }
        return entries;
    }

    @Test
    void buildsTheSameBytesTwiceWithEverythingTheInitNeeds() throws Exception {
        Kernel kernel = Kernel.newestInstalled();
        BuildConfig config = BuildConfig.defaults().with("KERNEL_VERSION", kernel.version()).with("COMPRESS", "zstd");
        ImageBuilder builder = new ImageBuilder(work.resolve("cache"), 1_700_000_000L, line -> { });
        Path first = work.resolve("first.img");
        Path second = work.resolve("second.img");
        assertTrue(builder.build(config, first).aotCache());
        builder.build(config, second);
        assertArrayEquals(Files.readAllBytes(first), Files.readAllBytes(second), "same inputs, same bytes");

        Map<String, Entry> entries = new TreeMap<>();
        byte[] init = null;
        try (ImageReader image = ImageReader.open(first)) {
            for (Entry e; (e = image.next()) != null; ) {
                String name = new String(e.name(), StandardCharsets.UTF_8);
                entries.put(name, e);
                if (name.equals("init")) init = image.body().readNBytes(40);
            }
        }
        for (String name : new String[] {"init", "jvm.args", "app.aot", "jre/bin/java", "dev/console", "newroot",
                "lib64/ld-linux-x86-64.so.2"}) {
            assertTrue(entries.keySet().stream().anyMatch(n -> n.equals(name) || n.endsWith("/" + name)), name + " in " + entries.keySet());
        }
        assertTrue(entries.keySet().stream().anyMatch(n -> n.endsWith("/" + kernel.version() + "/liftoff.load")), "the module load list");
        assertTrue(new String(init, StandardCharsets.US_ASCII).startsWith("#!/jre/bin/java @/jvm.args\n"));
        for (Entry e : entries.values()) {
            assertEquals(0L, e.uid(), "owned by root");
            assertTrue(e.mtime() <= 1_700_000_000L, "mtime clamped to SOURCE_DATE_EPOCH");
        }
    }
}
