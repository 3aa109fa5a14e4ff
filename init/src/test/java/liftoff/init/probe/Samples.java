package liftoff.init.probe;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * The superblock samples under src/test/resources/probe (made by make-samples.sh with the real
 * tools) and the blkid output recorded for each in expected.txt.
 */
public final class Samples {

    private static final Pattern TAG = Pattern.compile("([A-Z_]+)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    private Samples() {
    }

    /** Unpacks sample {@code name} into {@code dir} and returns the image file. */
    public static Path unpack(String name, Path dir) {
        Path image = dir.resolve(name + ".img");
        try (InputStream in = new GZIPInputStream(resource(name + ".gz"))) {
            Files.copy(in, image);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return image;
    }

    /** blkid's tags for sample {@code name}, in blkid's order. */
    static List<Map.Entry<String, String>> expectedTags(String name) {
        try (InputStream in = resource("expected.txt")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.startsWith(name + ":")) {
                    return parseTags(line.substring(name.length() + 1));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new AssertionError("expected.txt has no line for " + name);
    }

    /** The NAME="value" pairs of a blkid output line, unescaped. */
    static List<Map.Entry<String, String>> parseTags(String line) {
        Map<String, String> tags = new LinkedHashMap<>();
        Matcher m = TAG.matcher(line);
        while (m.find()) {
            tags.put(m.group(1), m.group(2).replaceAll("\\\\(.)", "$1"));
        }
        return new ArrayList<>(tags.entrySet());
    }

    /** What the probers say blkid would print for the image, in order. */
    static List<Map.Entry<String, String>> actualTags(Path image) throws IOException {
        return new ArrayList<>(Probe.tags(image, null).entrySet());
    }

    private static InputStream resource(String name) {
        InputStream in = Samples.class.getResourceAsStream("/probe/" + name);
        if (in == null) {
            throw new AssertionError("missing test resource probe/" + name);
        }
        return in;
    }
}
