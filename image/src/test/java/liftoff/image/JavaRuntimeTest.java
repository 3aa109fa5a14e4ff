package liftoff.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JavaRuntimeTest {
    /** Survives between test runs (not `mvn clean`): the jlink step runs once, as in real builds. */
    static final Path CACHE = Path.of("target/jlink-cache");

    @Test
    void jlinkOnceThenFromTheCacheTrimmedAndStaged(@TempDir Path staging) throws IOException {
        JavaRuntime runtime = new JavaRuntime(ElfTest.JDK, CACHE);
        Path image = runtime.image(List.of("java.base"), true);
        long start = System.nanoTime();
        assertEquals(image, runtime.image(List.of("java.base"), true));
        assertTrue(System.nanoTime() - start < 1_000_000_000L, "a cached image is not rebuilt");

        assertTrue(Files.isExecutable(image.resolve("bin/java")));
        assertTrue(Files.isRegularFile(image.resolve("lib/server/libjvm.so")));
        assertTrue(Files.isExecutable(image.resolve("lib/jspawnhelper")), "the rescue shell's ProcessBuilder needs it");
        for (String gone : List.of("lib/classlist", "lib/jrt-fs.jar", "lib/server/classes.jsa", "lib/server/classes_nocoops.jsa",
                "include", "man", "lib/security/cacerts", "lib/libjsig.so", "lib/server/libjsig.so", "lib/libsimdsort.so",
                "bin/keytool")) {
            assertFalse(Files.exists(image.resolve(gone)), gone);
        }
        // strip --strip-unneeded removes the static symbol table (.symtab) that --strip-debug leaves.
        assertTrue(Elf.read(image.resolve("lib/server/libjvm.so")).section(".symtab").isEmpty());
        assertTrue(Elf.read(ElfTest.JDK.resolve("lib/server/libjvm.so")).section(".symtab").isPresent());

        Path jre = staging.resolve("jre");
        runtime.stageInto(jre, List.of("java.base"), true);
        assertEquals(Files.size(image.resolve("lib/modules")), Files.size(jre.resolve("lib/modules")));
        assertTrue(Files.isExecutable(jre.resolve("bin/java")));
    }

    @Test
    void forACompressedInitramfsTheClassImageIsLeftPlain() throws IOException {
        JavaRuntime runtime = new JavaRuntime(ElfTest.JDK, CACHE);
        Path zipped = runtime.image(List.of("java.base"), true);
        Path plain = runtime.image(List.of("java.base"), false);

        assertTrue(!plain.equals(zipped), "two cache entries");
        long zippedBytes = Files.size(zipped.resolve("lib/modules"));
        long plainBytes = Files.size(plain.resolve("lib/modules"));
        assertTrue(plainBytes > zippedBytes * 3 / 2, plainBytes + " plain vs " + zippedBytes + " zipped");
    }

    @Test
    void aFailedJlinkLeavesNothingInTheCache(@TempDir Path cache) throws IOException {
        JavaRuntime runtime = new JavaRuntime(ElfTest.JDK, cache);
        IOException failure = assertThrows(IOException.class, () -> runtime.image(List.of("no.such.module"), false));
        assertTrue(failure.getMessage().startsWith("jlink failed"), failure.getMessage());
        try (var left = Files.list(cache)) {
            assertEquals(List.of(), left.toList(), "no half-built runtime (.building-*)");
        }
    }

    @Test
    void aNewRuntimeEvictsTheLeastRecentlyUsed(@TempDir Path cache) throws IOException {
        // Runtimes of earlier JDKs, made up: only their names and last uses matter here.
        for (int i = 0; i < JavaRuntime.RUNTIMES_KEPT; i++) {
            Path old = Files.createDirectories(cache.resolve("jre-earlier" + i + "/lib"));
            Files.writeString(old.resolve("modules"), "classes");
            Files.setLastModifiedTime(old.getParent(), FileTime.fromMillis(1_000_000_000L * (i + 1)));
        }
        Path built = new JavaRuntime(ElfTest.JDK, cache).image(List.of("java.base"), true);

        try (var left = Files.list(cache)) {
            List<String> names = left.map(p -> p.getFileName().toString()).sorted().toList();
            assertEquals(JavaRuntime.RUNTIMES_KEPT, names.size(), names.toString());
            assertTrue(names.contains(built.getFileName().toString()), names.toString());
            assertFalse(names.contains("jre-earlier0"), "the least recently used went: " + names);
        }
    }

    @Test
    void jdepsDecidesTheModules(@TempDir Path dir) throws IOException {
        Path jar = TestJars.jar(dir, "Uses",
                "public class Uses { public static void main(String[] a) { java.util.logging.Logger.getGlobal(); } }");
        // A fresh cache, so that jdeps really runs; the second answer comes from the cache.
        Path cache = dir.resolve("cache");
        JavaRuntime runtime = new JavaRuntime(ElfTest.JDK, cache);
        assertEquals(List.of("java.base", "java.logging"), runtime.modulesFor(jar));
        try (var cached = Files.list(cache)) {
            assertEquals(1, cached.filter(f -> f.getFileName().toString().startsWith("jdeps-")).count());
        }
        assertEquals(List.of("java.base", "java.logging"), runtime.modulesFor(jar));
    }

    @Test
    void cacheDirFollowsXdg() {
        assertEquals(Path.of("/x/cache/liftoff"), JavaRuntime.defaultCacheDir(Map.of("XDG_CACHE_HOME", "/x/cache"), "/home/u"));
        assertEquals(Path.of("/home/u/.cache/liftoff"), JavaRuntime.defaultCacheDir(Map.of("XDG_CACHE_HOME", "relative"), "/home/u"));
        assertEquals(Path.of("/home/u/.cache/liftoff"), JavaRuntime.defaultCacheDir(Map.of(), "/home/u"));
    }

    @Test
    void jvmArgsEndInTheMainClassAndTrainingDiffersOnlyInTheCacheOption() {
        List<String> boot = JavaRuntime.jvmArgs("x.Main");
        assertEquals(List.of("--enable-native-access=ALL-UNNAMED", "-cp", "/init", "x.Main"), boot.subList(boot.size() - 4, boot.size()));
        assertTrue(boot.contains("-XX:AOTCache=/app.aot"));
        List<String> training = JavaRuntime.trainingJvmArgs(boot, "/out.aot");
        assertEquals(boot.size(), training.size());
        for (int i = 0; i < training.size(); i++) {
            assertEquals(boot.get(i).equals("-XX:AOTCache=/app.aot") ? "-XX:AOTCacheOutput=/out.aot" : boot.get(i), training.get(i));
        }
        List<String> fallback = JavaRuntime.withoutAotCache(boot);
        assertEquals(boot.size() - 1, fallback.size());
        assertFalse(fallback.contains("-XX:AOTCache=/app.aot"));
        assertEquals(fallback, JavaRuntime.argFile(fallback).lines().toList());
    }

    @Test
    void jvmArgsForAReadOnlyRootWriteNoFile() {
        List<String> boot = JavaRuntime.jvmArgs("x.Main");
        List<String> readOnly = JavaRuntime.jvmArgs("x.Main", false);
        assertTrue(readOnly.stream().noneMatch(arg -> arg.contains("file=")), readOnly.toString());
        assertTrue(readOnly.contains("-Xlog:aot*=off"), "the AOT messages stay off the console");
        assertEquals(boot.stream().filter(arg -> !arg.contains("file=" + JavaRuntime.AOT_LOG)).toList(), readOnly);
    }
}
