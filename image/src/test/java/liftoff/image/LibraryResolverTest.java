package liftoff.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LibraryResolverTest {
    static final Path JDK = ElfTest.JDK;

    @Test
    void javaLauncherNeedsLibjliThroughOriginAndGetsABootAlias() throws IOException {
        // libnio.so needs libjava.so and libnet.so, without RUNPATH: satisfied because they are loaded by then.
        List<Path> dlopened = List.of(JDK.resolve("lib/server/libjvm.so"), JDK.resolve("lib/libjava.so"),
                JDK.resolve("lib/libnet.so"), JDK.resolve("lib/libnio.so"));
        var closure = LibraryResolver.forHost().resolve(List.of(JDK.resolve("bin/java")), dlopened);
        assertEquals(Set.of(Path.of("/lib64/ld-linux-x86-64.so.2")), closure.loaders());
        assertTrue(closure.libraries().contains(JDK.resolve("lib/libjli.so")), closure.libraries().toString());
        assertTrue(closure.libraries().contains(Path.of("/lib/x86_64-linux-gnu/libc.so.6")), closure.libraries().toString());
        // $ORIGIN of the program itself needs /proc/self/exe, which /init does not have yet.
        assertEquals(Map.of(Path.of("/lib/x86_64-linux-gnu/libjli.so"), JDK.resolve("lib/libjli.so")), closure.aliases());
    }

    @Test
    void aDlopenedLibraryStillNeedsWhatIsNotLoaded() {
        IOException e = assertThrows(IOException.class,
                () -> LibraryResolver.forHost().resolve(List.of(), List.of(JDK.resolve("lib/libnio.so"))));
        // libnio finds libjava.so through its RUNPATH $ORIGIN, but libjava.so's libjvm.so is in lib/server.
        assertTrue(e.getMessage().startsWith("libjvm.so (needed by " + JDK.resolve("lib/libjava.so") + ") not found in ["
                + JDK.resolve("lib") + ", "), e.getMessage());
    }

    @Test
    void staticProgramNeedsNothing() throws IOException {
        var closure = LibraryResolver.forHost().resolve(List.of(Path.of("/bin/busybox")), List.of());
        assertEquals(Set.of(), closure.loaders());
        assertEquals(Set.of(), closure.libraries());
    }

    @Test
    void followsRunpathSkipsWrongMachineAndAliasesLdSoConfDirs(@TempDir Path root) throws IOException {
        Path app = Files.createDirectories(root.resolve("app/bin"));
        Path appLib = Files.createDirectories(root.resolve("app/lib"));
        Path wrong = Files.createDirectories(root.resolve("wrong"));
        Path configured = Files.createDirectories(root.resolve("configured"));

        ElfBytes program = ElfBytes.x86_64();
        program.interpreter = "/lib64/ld-linux-x86-64.so.2";
        program.needed.addAll(List.of("libone.so.1", "libc.so.6"));
        program.runpath = wrong + ":/usr/lib/x86_64-linux-gnu:" + appLib; // absolute: reachable at boot
        Files.write(app.resolve("prog"), program.build());

        ElfBytes aarch64 = new ElfBytes(true, ByteOrder.LITTLE_ENDIAN, Elf.EM_AARCH64);
        Files.write(wrong.resolve("libone.so.1"), aarch64.build());
        ElfBytes one = ElfBytes.x86_64();
        one.needed.add("libtwo.so.2");
        one.runpath = "$ORIGIN/../lib"; // a library's $ORIGIN works at boot
        Files.write(appLib.resolve("libone.so.1.0"), one.build());
        Files.createSymbolicLink(appLib.resolve("libone.so.1"), Path.of("libone.so.1.0"));
        Files.write(configured.resolve("libtwo.so.2"), ElfBytes.x86_64().build());

        // libtwo is only in the "ld.so.conf" directory: the image has no cache, so it gets an alias.
        var closure = new LibraryResolver(List.of(configured)).resolve(List.of(app.resolve("prog")), List.of());
        // libc.so.6 itself needs the loader by name, found in the multiarch directory.
        assertEquals(List.of(Path.of("/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2"), appLib.resolve("libone.so.1"),
                configured.resolve("libtwo.so.2"), Path.of("/usr/lib/x86_64-linux-gnu/libc.so.6")),
                List.copyOf(closure.libraries()));
        assertEquals(Map.of(Path.of("/lib/x86_64-linux-gnu/libtwo.so.2"), configured.resolve("libtwo.so.2")),
                closure.aliases());
    }

    @Test
    void rpathIsIgnoredWhenRunpathExists(@TempDir Path root) throws IOException {
        Path dir = Files.createDirectories(root.resolve("only-rpath"));
        Files.write(dir.resolve("libhidden.so"), ElfBytes.x86_64().build());
        ElfBytes lib = ElfBytes.x86_64("libhidden.so");
        lib.rpath = dir.toString();
        Files.write(root.resolve("rpath-only.so"), lib.build());
        lib.runpath = "/nonexistent";
        Files.write(root.resolve("both.so"), lib.build());

        assertEquals(Set.of(dir.resolve("libhidden.so")), libraries(root.resolve("rpath-only.so")));
        assertNotFound(root.resolve("both.so"), "libhidden.so (needed by " + root.resolve("both.so") + ") not found in [/nonexistent, /lib/x86_64-linux-gnu,");
    }

    @Test
    void theProgramsRpathAlsoServesItsLibrariesUnlessTheyHaveRunpath(@TempDir Path root) throws IOException {
        Path dir = Files.createDirectories(root.resolve("private"));
        Files.write(dir.resolve("liby.so"), ElfBytes.x86_64().build());
        ElfBytes libx = ElfBytes.x86_64("liby.so");
        Files.write(dir.resolve("libx.so"), libx.build());
        ElfBytes program = ElfBytes.x86_64("libx.so");
        program.rpath = dir.toString();
        Files.write(root.resolve("prog"), program.build());
        assertEquals(Set.of(dir.resolve("libx.so"), dir.resolve("liby.so")), libraries(root.resolve("prog")));

        libx.runpath = "/elsewhere";
        Files.write(dir.resolve("libx.so"), libx.build());
        assertNotFound(root.resolve("prog"), "liby.so (needed by " + dir.resolve("libx.so") + ") not found in [/elsewhere, ");
    }

    private static Set<Path> libraries(Path program) throws IOException {
        return new LibraryResolver(List.of()).resolve(List.of(program), List.of()).libraries();
    }

    private static void assertNotFound(Path program, String messageStart) {
        IOException e = assertThrows(IOException.class, () -> libraries(program));
        assertTrue(e.getMessage().startsWith(messageStart), e.getMessage());
    }

    @Test
    void systemDirsFollowTheMachine() throws IOException {
        assertEquals(List.of(Path.of("/lib/i386-linux-gnu"), Path.of("/usr/lib/i386-linux-gnu"), Path.of("/lib"), Path.of("/usr/lib")),
                LibraryResolver.systemDirs(Elf.parse(new ElfBytes(false, ByteOrder.LITTLE_ENDIAN, Elf.EM_386).build(), "x")));
        assertEquals(Path.of("/lib/aarch64-linux-gnu"), LibraryResolver.systemDirs(
                Elf.parse(new ElfBytes(true, ByteOrder.LITTLE_ENDIAN, Elf.EM_AARCH64).build(), "x")).getFirst());
    }
}
