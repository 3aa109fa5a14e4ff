package liftoff.cpio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * A deterministic mutation fuzzer over the corpus in resources/fuzz (one image per format and
 * compression): seeded byte flips, truncations, insertions and header-field rewrites. Reading (and
 * sometimes extracting) a mutant may fail only with an IOException (CpioFormatException included):
 * any other exception, a hang, or a file outside the destination fails the test with the seed.
 */
class FuzzTest {
    private static final int MUTANTS_PER_SEED = 400;
    private static final byte[] HEX = "0123456789abcdefxg".getBytes();

    @TempDir
    Path tmp;

    @TestFactory
    Stream<DynamicTest> mutantsFailOnlyWithIOException() throws IOException {
        Path corpus = Path.of("src/test/resources/fuzz");
        List<Path> seeds;
        try (Stream<Path> s = Files.list(corpus)) {
            seeds = s.sorted().toList();
        }
        assertEquals(11, seeds.size(), "corpus in " + corpus);
        return seeds.stream().map(seed -> DynamicTest.dynamicTest(seed.getFileName().toString(),
                () -> assertTimeoutPreemptively(Duration.ofSeconds(60), () -> fuzz(seed))));
    }

    private void fuzz(Path seed) throws IOException {
        byte[] original = Files.readAllBytes(seed);
        Random random = new Random(seed.getFileName().toString().hashCode());
        for (int i = 0; i < MUTANTS_PER_SEED; i++) {
            byte[] mutant = mutate(original, random);
            try {
                readAll(mutant);
                if (i % 8 == 0) extractConfined(mutant, i);
            } catch (IOException expected) {
                // the only acceptable failure
            } catch (RuntimeException | Error e) {
                throw new AssertionError(seed.getFileName() + " mutant " + i + " threw " + e, e);
            }
        }
    }

    private static void readAll(byte[] image) throws IOException {
        ImageReader r = ImageReader.of(new ByteArrayInputStream(image));
        byte[] sink = new byte[8192];
        for (Entry e; (e = r.next()) != null; ) {
            if (e.isSymlink()) {
                r.smallBody();
            } else {
                InputStream b = r.body();
                while (b.read(sink) >= 0) { }
            }
        }
    }

    /** Extracts into box/dest and checks that box holds nothing else afterwards. */
    private void extractConfined(byte[] image, int i) throws IOException {
        Path box = Files.createDirectories(tmp.resolve("box" + i));
        try {
            new Extractor(box.resolve("dest")).extract(ImageReader.of(new ByteArrayInputStream(image)));
        } finally {
            try (Stream<Path> s = Files.list(box)) {
                assertEquals(List.of(box.resolve("dest")), s.toList(), "mutant " + i + " wrote outside its destination");
            }
        }
    }

    private static byte[] mutate(byte[] b, Random random) {
        byte[] m = b.clone();
        switch (random.nextInt(5)) {
            case 0 -> {  // flip a few bytes
                for (int k = 1 + random.nextInt(4); k > 0; k--) m[random.nextInt(m.length)] = (byte) random.nextInt(256);
            }
            case 1 -> m = Arrays.copyOf(m, random.nextInt(m.length));
            case 2 -> {  // insert random bytes
                int at = random.nextInt(m.length);
                byte[] junk = new byte[1 + random.nextInt(16)];
                random.nextBytes(junk);
                byte[] out = new byte[m.length + junk.length];
                System.arraycopy(m, 0, out, 0, at);
                System.arraycopy(junk, 0, out, at, junk.length);
                System.arraycopy(m, at, out, at + junk.length, m.length - at);
                m = out;
            }
            case 3 -> {  // rewrite one hex digit of a newc header field (sizes, namesize, mode...)
                int header = headerAt(m, random);
                if (header >= 0) m[header + 6 + random.nextInt(104)] = HEX[random.nextInt(HEX.length)];
            }
            default -> {  // a huge or zero field: filesize, namesize, nlink, mode
                int header = headerAt(m, random);
                int[] fields = {1, 4, 6, 11};
                if (header >= 0) {
                    byte[] value = (random.nextBoolean() ? "ffffffff" : "00000000").getBytes();
                    System.arraycopy(value, 0, m, header + 6 + 8 * fields[random.nextInt(fields.length)], 8);
                }
            }
        }
        return m;
    }

    /** The offset of a random "07070" header magic in {@code b} with a whole header after it, or -1. */
    private static int headerAt(byte[] b, Random random) {
        int[] found = new int[b.length];
        int n = 0;
        for (int i = 0; i + 110 <= b.length; i++) {
            if (b[i] == '0' && b[i + 1] == '7' && b[i + 2] == '0' && b[i + 3] == '7' && b[i + 4] == '0') found[n++] = i;
        }
        return n == 0 ? -1 : found[random.nextInt(n)];
    }
}
