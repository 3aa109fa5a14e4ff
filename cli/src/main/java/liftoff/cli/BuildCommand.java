package liftoff.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import liftoff.cpio.Compression;
import liftoff.image.BuildConfig;
import liftoff.image.ImageBuilder;
import liftoff.image.ImageFormat;
import liftoff.image.JavaRuntime;
import liftoff.image.uki.SigningKey;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code liftoff build}: an initramfs with the Java init, for this machine's kernel or another; with
 * {@code --uki}, wrapped with the kernel into a unified kernel image ({@link UkiOptions}).
 */
@Command(name = "build",
        mixinStandardHelpOptions = true,
        description = {
            "Build an initramfs with the Java init for this machine's kernel or another.",
            "It holds a jlink'd runtime, the liftoff init (with an AOT cache trained at build time), the shared",
            "libraries they need, kernel modules with their dependencies and firmware, an optional busybox",
            "rescue shell and extra files. Options override the config file (" + BuildConfig.DEFAULT_PATH + ").",
            "With --uki the output is a unified kernel image instead: systemd-stub with the kernel, this",
            "initramfs and the command line, signed for Secure Boot with --sign/--cert. --format dir or ext4",
            "writes the same early userspace for a partition the kernel mounts as its root.",
            "Cache: $XDG_CACHE_HOME/liftoff (else ~/.cache/liftoff), the most recently used",
            "runtimes and AOT caches only (about 300 MB at most); deleting it is safe."
        })
final class BuildCommand implements Callable<Integer> {
    /** Where the build log says a --kernel-version came from. */
    static final String KERNEL_VERSION_OPTION = "--kernel-version on the command line";

    @Spec
    CommandSpec spec;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "IMAGE", description = "the image (or with --uki, the .efi file) to write")
    Path output;

    @Option(names = "--format", paramLabel = "cpio|dir|ext4",
            description = "cpio (default): an initramfs; dir: a tree to copy onto a partition; ext4: a filesystem image of it")
    String format = "cpio";

    @Option(names = "--root-tree", paramLabel = "DIR",
            description = "a whole system's root, copied to / of the image (INCLUDE=DIR:/); boot it with root=initramfs")
    Path rootTree;

    @Option(names = "--config", paramLabel = "FILE",
            description = "config file, which must exist (default " + BuildConfig.DEFAULT_PATH + " when there is one)")
    Path config;

    @Option(names = "--kernel-version", paramLabel = "KVER", description = "default: the running kernel if /lib/modules has it, else the newest there")
    String kernelVersion;

    @Option(names = "--module", paramLabel = "NAME", description = "a module, alias or group (storage) with its dependencies; repeatable")
    List<String> modules = new ArrayList<>();

    @Option(names = "--include", paramLabel = "SRC[:DST]",
            description = "an extra file or directory; repeatable")
    List<BuildConfig.Include> includes = new ArrayList<>();

    @Option(names = "--rescue", paramLabel = "none|busybox",
            description = "ship a static busybox as the rescue shell")
    BuildConfig.Rescue rescue;

    @Option(names = "--compress", paramLabel = "ALG[:LEVEL]",
            description = "none, lz4, zstd, gzip, xz, with a level for gzip, zstd, xz (zstd:19)")
    Compression.Setting compress;

    @Option(names = "--hostonly", negatable = true, description = "only the modules this machine's root needs (from /proc/self/mountinfo and /sys)")
    Boolean hostonly;

    @Option(names = "--microcode", negatable = true, description = "an early uncompressed CPU microcode segment, when the host has microcode")
    Boolean microcode;

    @Mixin
    UkiOptions uki;

    /** Failures reach the user through {@link Errors}, as one line naming the file or setting at fault. */
    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<String> problems = uki.problems(spec.commandLine().getParseResult());
        if (!problems.isEmpty()) {
            problems.forEach(problem -> err.println("liftoff build: " + problem));
            return 2;
        }
        ImageFormat imageFormat = ImageFormat.parse(format);
        if (uki.uki && imageFormat != ImageFormat.CPIO) {
            err.println("liftoff build: --uki holds an initramfs; --format " + imageFormat.word() + " cannot go into it");
            return 2;
        }
        if (imageFormat != ImageFormat.DIR) {
            try {
                ImageBuilder.checkOutput(output);   // before any work: a wrong -o costs nothing
            } catch (FileSystemException e) {
                return Errors.report(spec, "-o " + output, e);
            }
        }
        // With --uki the initramfs is an intermediate file beside the output.
        Path image = uki.uki ? output.resolveSibling(output.getFileName() + ".initrd") : output;
        try {
            BuildConfig cfg = config();
            if (uki.uki) cfg = uki.forKernel(cfg);
            Optional<SigningKey> key = uki.uki ? uki.loadSigningKey() : Optional.empty();
            long start = System.nanoTime();
            ImageBuilder builder = new ImageBuilder(JavaRuntime.defaultCacheDir(System.getenv(), System.getProperty("user.home")),
                    ImageBuilder.sourceDateEpoch(), line -> err.println("liftoff build: " + line));
            ImageBuilder.Result result = builder.build(cfg, imageFormat, image);
            out.print(result.plan().sizeSummary());
            out.printf("image      %10d bytes (%s)%s%n", result.imageBytes(),
                    result.format() == ImageFormat.CPIO ? result.plan().compress() : result.format().word(),
                    result.aotCache() ? "" : ", no AOT cache");
            if (uki.uki) {
                uki.write(image, result.plan().kernel().version(), key, VersionProvider.version(), output,
                        line -> err.println("liftoff build: " + line));
                out.printf("uki        %10d bytes (%s)%n", Files.size(output),
                        key.map(k -> "signed by " + k.subject()).orElse("unsigned"));
            }
            out.printf("wrote %s in %.1f s%n", output, (System.nanoTime() - start) / 1e9);
            return 0;
        } finally {
            if (uki.uki) Files.deleteIfExists(image);
        }
    }

    /** The config file (a named one must exist, the default one may not), then the options over it. */
    BuildConfig config() throws IOException {
        BuildConfig cfg = config != null ? BuildConfig.load(config) : BuildConfig.loadIfPresent(Path.of(BuildConfig.DEFAULT_PATH));
        if (!modules.isEmpty()) cfg = cfg.withModules(modules);
        if (kernelVersion != null) cfg = cfg.withKernelVersion(kernelVersion, KERNEL_VERSION_OPTION);
        if (!includes.isEmpty()) cfg = cfg.withIncludes(includes);
        if (rootTree != null) cfg = withRootTree(cfg);
        if (rescue != null) cfg = cfg.withRescue(rescue);
        if (compress != null) cfg = cfg.withCompress(compress);
        if (microcode != null) cfg = cfg.withMicrocode(microcode);
        if (hostonly != null) cfg = cfg.withHostonly(hostonly);
        return cfg;
    }

    /** The root tree added to the INCLUDE entries (the file's or the options'), as DIR:/. */
    private BuildConfig withRootTree(BuildConfig cfg) throws IOException {
        if (!Files.isDirectory(rootTree)) {
            throw Files.exists(rootTree) ? new NotDirectoryException(rootTree.toString()) : new NoSuchFileException(rootTree.toString());
        }
        List<BuildConfig.Include> entries = new ArrayList<>(cfg.includes());
        entries.add(new BuildConfig.Include(rootTree.toAbsolutePath(), "/"));
        return cfg.withIncludes(entries);
    }
}
