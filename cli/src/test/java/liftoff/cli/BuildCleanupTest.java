package liftoff.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `liftoff build` as the launcher runs it, in a JVM of its own with its temporary directory and
 * cache here: ended by SIGTERM midway, or failing, it leaves nothing behind, and a bad -o fails
 * before any work.
 */
class BuildCleanupTest {
    /** The cache all builds here share, so that jlink runs once. */
    @TempDir
    static Path cache;

    @TempDir
    Path dir;

    @Test
    void sigtermWhileTrainingOrWritingTheImageLeavesNothing() throws Exception {
        Path out = Files.createDirectories(dir.resolve("out"));
        Path image = out.resolve("initrd.img");

        Build training = Build.start(dir, cache, "-o", image.toString(), "--compress", "none");
        training.await("the training JVM running", () -> training.process.descendants()
                .anyMatch(h -> h.info().commandLine().orElse("").contains("-Dliftoff.train=true")));
        training.terminateAndAssertNothingLeft(out);

        Build writing = Build.start(dir, cache, "-o", image.toString(), "--compress", "xz");
        Path partial = out.resolve("initrd.img.partial");
        writing.await("IMAGE.partial being written", () -> size(partial) > 0);
        writing.terminateAndAssertNothingLeft(out);
    }

    @Test
    void aFailingBuildLeavesNothing() throws Exception {
        Path out = Files.createDirectories(dir.resolve("out"));
        Build build = Build.start(dir, cache, "-o", out.resolve("initrd.img").toString(), "--module", "no_such_module");
        assertEquals(1, build.exitCode(), build.log());
        assertTrue(build.log().contains("no module no_such_module"), build.log());
        build.assertNothingLeft(out);
    }

    @Test
    void anOutputThatCannotBeWrittenFailsBeforeAnyWork() throws Exception {
        Path unusedCache = dir.resolve("cache");
        Build proc = Build.start(dir, unusedCache, "-o", "/proc/nope");
        assertEquals(1, proc.exitCode());
        assertEquals("liftoff build: -o /proc/nope: No such file or directory\n", proc.log());

        Build directory = Build.start(dir, unusedCache, "-o", dir.toString());
        assertEquals(1, directory.exitCode());
        assertEquals("liftoff build: -o " + dir + ": Is a directory\n", directory.log());

        Build missingDir = Build.start(dir, unusedCache, "-o", dir.resolve("no/such/dir/initrd.img").toString());
        assertEquals(1, missingDir.exitCode());
        assertEquals("liftoff build: -o " + dir.resolve("no/such/dir/initrd.img") + ": No such file or directory\n", missingDir.log());
        assertFalse(Files.exists(unusedCache), "nothing was done");
    }

    /** One `liftoff build` process; its standard output and error go to a log file. */
    private record Build(Process process, Path tmp, Path cache, Path logFile) {
        static Build start(Path dir, Path cache, String... args) throws IOException {
            Path tmp = Files.createTempDirectory(dir, "tmp");
            Path logFile = Files.createTempFile(dir, "build", ".log");
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "--enable-native-access=ALL-UNNAMED", "-Djava.io.tmpdir=" + tmp,
                    "-cp", System.getProperty("java.class.path"), Main.class.getName(), "build"));
            command.addAll(List.of(args));
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(logFile.toFile());
            builder.environment().put("XDG_CACHE_HOME", cache.toString());
            return new Build(builder.start(), tmp, cache.resolve("liftoff"), logFile);
        }

        String log() throws IOException {
            return Files.readString(logFile);
        }

        int exitCode() throws Exception {
            if (!process.waitFor(10, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                fail("the build did not end\n" + log());
            }
            return process.exitValue();
        }

        void await(String what, BooleanSupplier condition) throws Exception {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
            while (!condition.getAsBoolean()) {
                if (!process.isAlive()) fail("the build ended before " + what + "\n" + log());
                if (System.nanoTime() > deadline) fail("no " + what + " within 5 minutes\n" + log());
                Thread.sleep(20);
            }
        }

        /** SIGTERM, as `kill` sends it; the JVM ends with 143 (128 + 15) once its shutdown hooks have run. */
        void terminateAndAssertNothingLeft(Path out) throws Exception {
            List<ProcessHandle> started = process.descendants().toList();
            process.destroy();
            assertEquals(143, exitCode(), log());
            for (ProcessHandle h : started) {
                assertFalse(h.isAlive(), "still running: " + h.info().commandLine().orElse("pid " + h.pid()));
            }
            assertNothingLeft(out);
        }

        /** No temporary file or directory, no IMAGE.partial, nothing half-made in the cache (.building-*, .jdeps-*, *.partial). */
        void assertNothingLeft(Path out) throws IOException {
            assertEquals(List.of(), list(tmp), "left in the temporary directory\n" + log());
            assertEquals(List.of(), list(out), "left beside the image\n" + log());
            if (Files.isDirectory(cache)) {
                try (Stream<Path> all = Files.walk(cache)) {
                    List<Path> halfMade = all.filter(p -> !p.equals(cache)).filter(p -> {
                        String name = p.getFileName().toString();
                        return name.startsWith(".") || name.endsWith(".partial");
                    }).toList();
                    assertEquals(List.of(), halfMade, "left in the cache\n" + log());
                }
            }
        }
    }

    private static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.toList();
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException notYet) {
            return -1;
        }
    }
}
