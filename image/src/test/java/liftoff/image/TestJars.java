package liftoff.image;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.spi.ToolProvider;

/** Compiles one class into an executable jar, as the init module's build would. */
final class TestJars {
    private TestJars() {}

    static Path jar(Path dir, String className, String source) throws IOException {
        Path src = Files.createDirectories(dir.resolve("src"));
        Path file = Files.writeString(src.resolve(className + ".java"), source);
        Path classes = dir.resolve("classes");
        assertEquals(0, ToolProvider.findFirst("javac").orElseThrow()
                .run(System.out, System.err, "-d", classes.toString(), file.toString()));
        Path jar = dir.resolve(className.toLowerCase() + ".jar");
        assertEquals(0, ToolProvider.findFirst("jar").orElseThrow().run(System.out, System.err, "--create", "--file",
                jar.toString(), "--main-class", className, "--date", "2025-01-01T00:00:02Z", "-C", classes.toString(), "."));
        return jar;
    }
}
