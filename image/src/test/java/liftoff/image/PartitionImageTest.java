package liftoff.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import liftoff.cpio.Compression;
import liftoff.sys.Stat;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image as a partition's contents: a plan of each kind of entry written as a directory and as
 * an ext4 image, read back with stat and debugfs. The device nodes are the point: the kernel opens
 * /dev/console on the partition for PID 1 before anything is mounted.
 */
class PartitionImageTest {
    @TempDir
    Path dir;

    private ImageLayout.Plan plan() throws IOException {
        Path source = Files.writeString(dir.resolve("hello"), "hello\n");
        List<ImageEntry> entries = List.of(
                new ImageEntry.Dir("/dev", 0755),
                new ImageEntry.Node("/dev/console", 0600, 'c', 5, 1),
                new ImageEntry.Node("/dev/null", 0666, 'c', 1, 3),
                new ImageEntry.File("/init", source, 0755),
                new ImageEntry.Symlink("/lib", "usr/lib"),
                new ImageEntry.Dir("/tmp", 01777));
        return new ImageLayout.Plan(entries, List.of(), dir, new KernelVersion("6.1.0-test", "a test"),
                Map.of(Part.INIT, 6L), Compression.parse("none"), List.of());
    }

    @Test
    @Tag("root")
    void aDirectoryHasTheNodesTheStickyTmpAndRootAsOwner() throws IOException {
        Path tree = dir.resolve("early");
        List<String> progress = new ArrayList<>();
        PartitionImage.writeDirectory(plan(), tree, progress::add);
        assertEquals(List.of(), progress);
        assertEquals(020600, (int) Files.getAttribute(tree.resolve("dev/console"), "unix:mode"));
        assertEquals(Stat.makedev(5, 1), (long) Files.getAttribute(tree.resolve("dev/console"), "unix:rdev"));
        assertEquals(020666, (int) Files.getAttribute(tree.resolve("dev/null"), "unix:mode"), "not cut by the umask");
        assertEquals(041777, (int) Files.getAttribute(tree.resolve("tmp"), "unix:mode"));
        assertEquals(0100755, (int) Files.getAttribute(tree.resolve("init"), "unix:mode"));
        assertEquals("usr/lib", Files.readSymbolicLink(tree.resolve("lib")).toString());
        assertEquals(0, (int) Files.getAttribute(tree.resolve("lib"), "unix:uid", LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void aDirectoryIsWrittenOnlyWhereNothingIs() throws IOException {
        Path taken = Files.createDirectories(dir.resolve("taken"));
        Files.writeString(taken.resolve("x"), "");
        ImageLayout.Plan plan = plan();
        assertEquals(taken + ": directory is not empty",
                assertThrows(IOException.class, () -> PartitionImage.writeDirectory(plan, taken, line -> { })).getMessage());
        Path file = taken.resolve("x");
        assertEquals(file + ": exists and is not a directory",
                assertThrows(IOException.class, () -> PartitionImage.writeDirectory(plan, file, line -> { })).getMessage());
    }

    @Test
    void anExt4ImageHasTheNodesInTheirDirectoryAndEveryInodeIsRoots() throws IOException, InterruptedException {
        Path image = dir.resolve("early.ext4");
        PartitionImage.writeExt4(plan(), dir.resolve("early.ext4.partial"), image, 1_700_000_000L, Files.createDirectories(dir.resolve("work")));
        String dev = debugfs(image, "ls -l /dev");
        assertTrue(dev.matches("(?s).*\\s20600 \\(3\\)\\s+0\\s+0\\s+0 .* console\\n.*"), dev);
        assertTrue(dev.matches("(?s).*\\s20666 \\(3\\)\\s+0\\s+0\\s+0 .* null\\n.*"), dev);
        String console = debugfs(image, "stat /dev/console");
        assertTrue(console.contains("Device major/minor number: 05:01"), console);
        String root = debugfs(image, "ls -l /");
        assertTrue(root.matches("(?s).*\\s41777 \\(2\\)\\s+0\\s+0 .* tmp\\n.*"), root);
        assertTrue(root.matches("(?s).*\\s100755 \\(1\\)\\s+0\\s+0\\s+6 .* init\\n.*"), root);
        assertTrue(debugfs(image, "cat /init").contains("hello\n"));
        String superblock = run("dumpe2fs", "-h", image.toString());
        assertTrue(superblock.contains("Filesystem volume name:   liftoff-early\n"), superblock);
        assertFalse(superblock.matches("(?s).*Filesystem features:[^\\n]*has_journal.*"), "no journal: " + superblock);
    }

    private static String debugfs(Path image, String request) throws IOException, InterruptedException {
        return run("debugfs", "-R", request, image.toString());
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), String.join(" ", command) + ": " + out);
        return out;
    }
}
