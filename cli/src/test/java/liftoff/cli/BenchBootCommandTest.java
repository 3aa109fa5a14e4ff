package liftoff.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import liftoff.image.qemu.Kernel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The verb's own work: building the images and handing them to the benchmark script with the kernel
 * they were built for. The script here records what it was given and writes a report as the benchmark
 * does; booting the anchors takes many minutes and belongs to the benchmark itself, not the unit tests.
 */
class BenchBootCommandTest {
    private final StringWriter err = new StringWriter();

    private int liftoff(String... args) {
        CommandLine cli = Main.commandLine();
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void buildsAnImagePerCompressionAndPassesThemToTheScript(@TempDir Path dir) throws Exception {
        Path script = dir.resolve("run.sh");
        Files.writeString(script, """
                printf '%s\\n' "$@" > "$(dirname "$0")/args"
                echo "$KVER" > "$(dirname "$0")/kver"
                while [ $# -gt 0 ]; do [ "$1" = --results ] && echo '# report' > "$2"; shift; done
                exit 3
                """);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path results = dir.resolve("results.md");
        String kver = Kernel.newestInstalled().version();

        int status = liftoff("bench", "boot", "--script", script.toString(), "--work", dir.resolve("work").toString(),
                "--results", results.toString(), "--anchors", "busybox-sh", "--compress", "none", "--compress", "zstd",
                "-n", "1", "--kernel-version", kver, "--", "--reuse");

        assertEquals(3, status, "the script's exit status is the verb's\n" + err);
        Path none = dir.resolve("work/liftoff-none.img");
        Path zstd = dir.resolve("work/liftoff-zstd.img");
        assertEquals(List.of("-n", "1", "--image", "liftoff-none=" + none, "--image", "liftoff-zstd=" + zstd,
                "--only", "busybox-sh,liftoff-none,liftoff-zstd", "--results", results.toString(), "--reuse"),
                Files.readAllLines(dir.resolve("args")));
        assertEquals(kver + "\n", Files.readString(dir.resolve("kver")));
        assertTrue(Files.size(none) > Files.size(zstd), "zstd compresses");
        String report = Files.readString(results);
        assertTrue(report.startsWith("# report\n"), report);
        assertTrue(report.matches("(?s).*\\| liftoff-none \\| none \\| [\\d,]+ \\| [\\d,]+ \\| [\\d.]+ \\|\n.*"), report);
        assertTrue(report.matches("(?s).*\\| liftoff-zstd \\| zstd \\| [\\d,]+ \\| [\\d,]+ \\| [\\d.]+ \\|\n"), report);
    }

    @Test
    void theDefaultScriptIsTheCheckoutsOwnAndKnowsEveryDefaultAnchor() throws Exception {
        Path checkout = Path.of("..").toAbsolutePath().normalize();   // the tests run in cli/
        Path script = BenchBootCommand.defaultScript(checkout);
        assertEquals(checkout.resolve("bench/boot/boot-systems.sh"), script);

        Process list = new ProcessBuilder("bash", script.toString(), "--list").redirectErrorStream(true).start();
        String systems = new String(list.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, list.waitFor(), systems);
        for (String anchor : BenchBootCommand.ANCHORS.split(",")) {
            assertTrue(systems.lines().anyMatch(line -> line.startsWith(anchor + " ")), anchor + " is not listed:\n" + systems);
        }
    }

    @Test
    void aMissingScriptIsASetupError(@TempDir Path dir) {
        int status = liftoff("bench", "boot", "--script", dir.resolve("nope.sh").toString(), "--work", dir.toString());

        assertEquals(2, status);
        assertTrue(err.toString().contains("no benchmark script " + dir.resolve("nope.sh")), err.toString());
    }
}
