package liftoff.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cpio verbs writing to a real full file system: a 64 KiB tmpfs mounted in a private mount
 * namespace ({@code unshare --mount}, as root), which disappears with the run.
 */
@Tag("root")
class CpioFullDiskTest {
    @TempDir
    Path tmp;

    /**
     * Runs {@code liftoff ARGS} with a 64 KiB tmpfs on {@code full}, after the shell command {@code setup}
     * ran there; stdout is what liftoff printed followed by what it left on the tmpfs, one name a line.
     */
    private static CliProcess.Result onFullDisk(Path full, String setup, String... args) throws Exception {
        Files.createDirectories(full);
        List<String> command = new ArrayList<>(List.of("unshare", "--mount", "--propagation", "private", "sh", "-c",
                "mount -t tmpfs -o size=64k liftoff-test \"$0\" && cd \"$0\" && eval \"$1\" || exit 99; shift; "
                        + "\"$@\"; status=$?; ls -A \"$0\"; exit $status",
                full.toString(), setup));
        command.addAll(CliProcess.command(args));
        return CliProcess.run(new ProcessBuilder(command));
    }

    /** A tree with one 256 KiB file of random bytes: more than the tmpfs holds, compressed or not. */
    private Path bigTree() throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src"));
        byte[] data = new byte[256 * 1024];
        new Random(1).nextBytes(data);
        Files.write(src.resolve("big"), data);
        return src;
    }

    @Test
    void createOntoAFullDiskNamesTheOutputAndLeavesNothing() throws Exception {
        Path src = bigTree();
        Path full = tmp.resolve("full");
        Path image = full.resolve("initrd.img");
        assertEquals(new CliProcess.Result(1, "", "liftoff cpio: " + image + ": No space left on device\n"),
                onFullDisk(full, "", "cpio", "create", "-o", image.toString(), src.toString()));
    }

    @Test
    void appendOntoAFullDiskNamesTheOutput() throws Exception {
        Path src = bigTree();
        Path full = tmp.resolve("full");
        Path image = full.resolve("initrd.img");
        CliProcess.Result r = onFullDisk(full, "touch initrd.img", "cpio", "create", "--append", "-o", image.toString(), src.toString());
        assertEquals(new CliProcess.Result(1, "initrd.img\n", "liftoff cpio: " + image + ": No space left on device\n"), r);
    }

    @Test
    void extractOntoAFullDiskNamesTheEntrysPath() throws Exception {
        Path src = bigTree();
        Path image = tmp.resolve("image");
        assertEquals(0, CliProcess.run("cpio", "create", "-o", image.toString(), src.toString()).status());
        Path full = tmp.resolve("full");
        assertEquals(new CliProcess.Result(1, "", "liftoff cpio: " + full.resolve("big") + ": No space left on device\n"),
                onFullDisk(full, "", "cpio", "extract", "-C", full.toString(), image.toString()));
    }
}
