package liftoff.init;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The AOT verdict from real files: a /proc/self/cmdline with an argument file, the JVM's log, a maps text. */
class AotStatusTest {
    private static final String MAPPED = "800001000-800443000 rw-p 00001000 00:02 17    /app.aot\n"
            + "7f00-7f10 r-xp 00000000 00:02 9    /jre/lib/server/libjvm.so\n";
    private static final String NOT_MAPPED = "7f00-7f10 r-xp 00000000 00:02 9    /jre/lib/server/libjvm.so\n";

    @TempDir
    Path dir;

    private Path maps(String text) throws Exception {
        return Files.writeString(dir.resolve("maps"), text);
    }

    private List<String> options(String... jvmArgs) throws Exception {
        Path args = Files.writeString(dir.resolve("jvm.args"), String.join("\n", jvmArgs) + "\n");
        Path cmdline = Files.writeString(dir.resolve("cmdline"), "/jre/bin/java\0@" + args + "\0/init\0");
        return AotStatus.jvmOptions(cmdline);
    }

    @Test
    void argumentFilesAreExpandedInPlace() throws Exception {
        assertEquals(List.of("/jre/bin/java", "-Xint", "-XX:AOTCache=/app.aot", "-jar", "/init"),
                options("-Xint", "-XX:AOTCache=/app.aot", "-jar"));
    }

    @Test
    void aMappedCacheIsInUse() throws Exception {
        assertEquals(Optional.empty(), AotStatus.problem(options("-XX:AOTCache=/app.aot", "-jar"), maps(MAPPED)));
    }

    @Test
    void anUnmappedCacheIsExplainedByTheJvmsLog() throws Exception {
        Path log = Files.writeString(dir.resolve("aot.log"), "The AOT cache has a bad magic number: 0\nUnable to read the file header.\n");
        List<String> options = options("-XX:AOTCache=/app.aot", "-Xlog:aot*=warning:file=" + log + ":none:filecount=0", "-jar");

        assertEquals(Optional.of("The AOT cache has a bad magic number: 0; Unable to read the file header."),
                AotStatus.problem(options, maps(NOT_MAPPED)));
    }

    @Test
    void anUnmappedCacheWithAnEmptyLogStillGetsAReason() throws Exception {
        Path log = Files.writeString(dir.resolve("aot.log"), "");
        List<String> options = options("-XX:AOTCache=/app.aot", "-Xlog:aot*=warning:file=" + log + ":none:filecount=0", "-jar");

        assertEquals(Optional.of("the JVM did not map /app.aot and logged no reason"), AotStatus.problem(options, maps(NOT_MAPPED)));
    }

    @Test
    void anImageWithoutACacheSaysSo() throws Exception {
        assertEquals(Optional.of("the image has none (its training failed when the image was built)"),
                AotStatus.problem(options("-Xint", "-jar"), maps(NOT_MAPPED)));
    }

    @Test
    void theJvmsOwnMapIsReadAndShowsNoCacheForAJvmStartedWithout() throws Exception {
        // This test's JVM runs without -XX:AOTCache=/app.aot; the verdict comes from its real map.
        assertEquals(Optional.of("the JVM did not map /app.aot and logged no reason"),
                AotStatus.problem(options("-XX:AOTCache=/app.aot", "-jar"), Path.of("/proc/self/maps")));
    }

    @Test
    void aCacheOfTheSameNameElsewhereIsNotOurs() throws Exception {
        String other = "800001000-800443000 rw-p 00001000 00:02 17    /old/app.aot\n";
        assertEquals(Optional.of("the JVM did not map /app.aot and logged no reason"),
                AotStatus.problem(options("-XX:AOTCache=/app.aot", "-jar"), maps(other)));
    }
}
