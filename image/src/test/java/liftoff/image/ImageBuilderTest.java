package liftoff.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
