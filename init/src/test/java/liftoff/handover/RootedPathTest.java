package liftoff.handover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Symlinks resolve as they will after the switch: inside the new root, never above it. */
class RootedPathTest {
    @TempDir
    Path root;

    @Test
    void absoluteLinksRestartAtTheNewRoot() throws Exception {
        Files.createDirectories(root.resolve("lib/systemd"));
        Files.writeString(root.resolve("lib/systemd/systemd"), "");
        Files.createDirectories(root.resolve("sbin"));
        Files.createSymbolicLink(root.resolve("sbin/init"), Path.of("/lib/systemd/systemd"));
        assertEquals(root.resolve("lib/systemd/systemd"), RootedPath.resolve(root, "/sbin/init"));
    }

    @Test
    void dotDotStopsAtTheNewRoot() throws Exception {
        Files.createDirectories(root.resolve("bin"));
        Files.writeString(root.resolve("bin/sh"), "");
        Files.createSymbolicLink(root.resolve("escape"), Path.of("../../../../bin/sh"));
        assertEquals(root.resolve("bin/sh"), RootedPath.resolve(root, "/escape"));
    }

    @Test
    void linkedDirectoriesInTheMiddle() throws Exception {
        Files.createDirectories(root.resolve("usr/bin"));
        Files.writeString(root.resolve("usr/bin/init"), "");
        Files.createSymbolicLink(root.resolve("bin"), Path.of("usr/bin"));
        assertEquals(root.resolve("usr/bin/init"), RootedPath.resolve(root, "/bin/init"));
    }

    @Test
    void aMissingComponentKeepsTheRestOfThePath() throws Exception {
        assertEquals(root.resolve("nope/init"), RootedPath.resolve(root, "/nope/init"));
    }

    @Test
    void loopsAreRefused() throws Exception {
        Files.createSymbolicLink(root.resolve("a"), Path.of("/b"));
        Files.createSymbolicLink(root.resolve("b"), Path.of("/a"));
        HandoverException e = assertThrows(HandoverException.class, () -> RootedPath.resolve(root, "/a"));
        assertEquals("/a: too many levels of symbolic links inside " + root, e.getMessage());
    }
}
