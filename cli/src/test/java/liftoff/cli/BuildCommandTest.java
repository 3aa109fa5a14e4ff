package liftoff.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import liftoff.image.BuildConfig;
import liftoff.image.KernelVersion;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code liftoff build}'s failures, through the command tree the launcher runs: one line each, exit status 1. */
class BuildCommandTest {
    @TempDir
    Path dir;

    private record Result(int exitCode, String err) {
        /** The last line: the progress lines of the build come before it. */
        String lastLine() {
            List<String> lines = err.lines().toList();
            return lines.isEmpty() ? "" : lines.getLast();
        }
    }

    private static Result liftoff(String... args) {
        StringWriter err = new StringWriter();
        int code = Main.commandLine().setErr(new PrintWriter(err, true)).execute(args);
        return new Result(code, err.toString());
    }

    /** The options reach the configuration as values, over the config file's, not as text parsed again. */
    @Test
    void optionsOverrideTheConfigFileAsTypedValues() throws IOException {
        Path config = Files.writeString(dir.resolve("liftoff.conf"), "COMPRESS=xz\nRESCUE=none\nMICROCODE=yes\n");
        CommandLine cli = Main.commandLine();
        cli.parseArgs("build", "-o", dir.resolve("initrd.img").toString(), "--config", config.toString(),
                "--compress", "zstd:19", "--rescue", "busybox", "--include", "/etc/hostname:/etc/initrd-hostname",
                "--module", "virtio_blk", "--no-microcode", "--hostonly");
        BuildConfig typed = ((BuildCommand) cli.getSubcommands().get("build").getCommand()).config();
        assertEquals("zstd:19", typed.compress().toString());
        assertEquals(BuildConfig.Rescue.BUSYBOX, typed.rescue());
        assertEquals(List.of(new BuildConfig.Include(Path.of("/etc/hostname"), "/etc/initrd-hostname")), typed.includes());
        assertEquals(List.of("virtio_blk"), typed.modules());
        assertFalse(typed.microcode());
        assertTrue(typed.hostonly());
    }

    /** A malformed option is a usage error (exit 2), named by picocli before any work. */
    @Test
    void aMalformedOptionIsAUsageError() {
        Result result = liftoff("build", "-o", dir.resolve("initrd.img").toString(), "--compress", "zstd:99");
        assertEquals(2, result.exitCode());
        assertTrue(result.err().startsWith("Invalid value for option '--compress': zstd level must be 1..19, not 99"), result.err());
        result = liftoff("build", "-o", dir.resolve("initrd.img").toString(), "--include", "relative");
        assertEquals(2, result.exitCode());
        assertTrue(result.err().contains("INCLUDE entry 'relative': SRC and DST must be absolute paths"), result.err());
    }

    @Test
    void aConfigFileNamedOnTheCommandLineMustExist() {
        Path missing = dir.resolve("nonexistent.conf");
        Result result = liftoff("build", "-o", dir.resolve("initrd.img").toString(), "--config", missing.toString());
        assertEquals(1, result.exitCode());
        assertEquals("liftoff build: " + missing + ": No such file or directory\n", result.err());
    }

    @Test
    void aDirectoryIsNotAConfigFile() {
        Result result = liftoff("build", "-o", dir.resolve("initrd.img").toString(), "--config", dir.toString());
        assertEquals(1, result.exitCode());
        assertEquals("liftoff build: " + dir + ": Is a directory\n", result.err());
    }

    @Test
    void aConfigFileThatIsNotUtf8NamesTheLine() throws IOException {
        Path config = Files.write(dir.resolve("liftoff.conf"),
                "COMPRESS=zstd\n# t\u00eate de lecture\n".getBytes(StandardCharsets.ISO_8859_1));
        Result result = liftoff("build", "-o", dir.resolve("initrd.img").toString(), "--config", config.toString());
        assertEquals(1, result.exitCode());
        assertEquals("liftoff build: " + config + ":2: not UTF-8 text\n", result.err());
    }

    /** Not "run depmod": the kernel is not installed, and the line lists the ones that are. */
    @Test
    void aKernelVersionThatIsNotInstalledListsTheInstalledOnes() throws IOException {
        Path modules = dir.resolve("modules");
        for (String version : List.of("6.1.0-57-cloud-amd64", "6.12.9-amd64")) {
            Files.createDirectories(modules.resolve(version));
            Files.writeString(modules.resolve(version).resolve("modules.dep"), "");
        }
        Path config = Files.writeString(dir.resolve("liftoff.conf"), "MODULES_DIR=" + modules + "\n");
        Result result = liftoff("build", "-o", dir.resolve("initrd.img").toString(), "--config", config.toString(),
                "--kernel-version", "6.99.0-nope");
        assertEquals(1, result.exitCode(), result.err());
        assertEquals("liftoff build: kernel 6.99.0-nope (--kernel-version on the command line): not installed, there is no "
                + modules.resolve("6.99.0-nope") + "; installed: 6.1.0-57-cloud-amd64, 6.12.9-amd64", result.lastLine());
    }

    @Test
    void aKernelVersionFromTheCommandLineIsNotSaidToComeFromTheConfigFile() throws IOException {
        Path config = Files.writeString(dir.resolve("liftoff.conf"), "KERNEL_VERSION=6.1.0-57-amd64\n");
        BuildCommand fromFile = parse("-o", "x", "--config", config.toString());
        assertEquals(new KernelVersion("6.1.0-57-amd64", "KERNEL_VERSION in " + config + ":1"),
                fromFile.config().kernelVersion().orElseThrow());
        BuildCommand overridden = parse("-o", "x", "--config", config.toString(), "--kernel-version", "6.1.0-57-cloud-amd64");
        assertEquals(new KernelVersion("6.1.0-57-cloud-amd64", "--kernel-version on the command line"),
                overridden.config().kernelVersion().orElseThrow());
    }

    @Test
    void anUnknownFormatIsRefusedBeforeAnythingIsBuilt() {
        Result result = liftoff("build", "-o", dir.resolve("early").toString(), "--format", "squashfs");
        assertEquals(1, result.exitCode());
        assertEquals("liftoff build: --format squashfs: expected cpio, dir or ext4\n", result.err());
    }

    @Test
    void aRootTreeMustBeADirectory() throws IOException {
        Path file = Files.writeString(dir.resolve("root.tar"), "");
        Result notDir = liftoff("build", "-o", dir.resolve("img").toString(), "--root-tree", file.toString());
        assertEquals(1, notDir.exitCode());
        assertEquals("liftoff build: " + file + ": Not a directory\n", notDir.err());
        Result missing = liftoff("build", "-o", dir.resolve("img").toString(), "--root-tree", dir.resolve("none").toString());
        assertEquals("liftoff build: " + dir.resolve("none") + ": No such file or directory\n", missing.err());
    }

    @Test
    void aRootTreeIsIncludedAtTheRootBesideTheConfigFilesIncludes() throws IOException {
        Path config = Files.writeString(dir.resolve("liftoff.conf"), "INCLUDE=/etc/hostname\n");
        BuildCommand command = parse("-o", "x", "--config", config.toString(), "--root-tree", dir.toString());
        assertEquals(List.of(new BuildConfig.Include(Path.of("/etc/hostname"), "/etc/hostname"), new BuildConfig.Include(dir, "/")),
                command.config().includes());
    }

    /**
     * A full disk under the image: the line names the image, not just "No space left on device".
     * Needs root for the small tmpfs; builds a whole image for the installed kernel first.
     */
    @Test
    @Tag("root")
    void aFullDiskNamesTheImage() throws IOException {
        Path small = Files.createDirectories(dir.resolve("small"));
        HostTools.run(dir, "mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", small.toString());
        try {
            Path image = small.resolve("initrd.img");
            Path config = Files.writeString(dir.resolve("liftoff.conf"), "MICROCODE=no\n");
            String kernel = installedKernel();
            Result result = liftoff("build", "-o", image.toString(), "--config", config.toString(), "--kernel-version", kernel);
            assertEquals(1, result.exitCode(), result.err());
            assertTrue(result.err().contains("liftoff build: layout: kernel " + kernel + ": --kernel-version on the command line\n"),
                    result.err());
            assertEquals("liftoff build: " + image + ": No space left on device", result.lastLine());
        } finally {
            HostTools.run(dir, "umount", small.toString());
        }
    }

    private static BuildCommand parse(String... args) {
        BuildCommand command = new BuildCommand();
        new CommandLine(command).parseArgs(args);
        return command;
    }

    /** A kernel whose modules this machine has (the image tests' kernel packages install some). */
    private static String installedKernel() throws IOException {
        try (Stream<Path> kernels = Files.list(Path.of("/lib/modules"))) {
            return kernels.filter(k -> Files.isRegularFile(k.resolve("modules.dep"))).map(k -> k.getFileName().toString())
                    .sorted().findFirst().orElseThrow(() -> new AssertionError("no kernel under /lib/modules: install linux-image-cloud-amd64"));
        }
    }
}
