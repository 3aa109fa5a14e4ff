package liftoff.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import liftoff.image.BuildConfig;
import liftoff.image.ImageBuilder;
import liftoff.image.ImageFormat;
import liftoff.image.JavaRuntime;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code liftoff build}: an initramfs with the Java init, for this machine's kernel or another. */
@Command(name = "build",
        mixinStandardHelpOptions = true,
        description = {
            "Build an initramfs with the Java init for this machine's kernel or another.",
            "It holds a jlink'd runtime, the liftoff init (with an AOT cache trained at build time), the shared",
            "libraries they need, kernel modules with their dependencies and firmware, an optional busybox",
            "rescue shell and extra files. Options override the config file (" + BuildConfig.DEFAULT_PATH + ").",
            "--format dir or ext4 writes the same early userspace for a partition the kernel mounts as its root."
        })
final class BuildCommand implements Callable<Integer> {
    /** Where the build log says a --kernel-version came from. */
    static final String KERNEL_VERSION_OPTION = "--kernel-version on the command line";

    @Spec
    CommandSpec spec;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "IMAGE", description = "the image to write")
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

    @Option(names = "--include", paramLabel = "SRC[:DST]", description = "an extra file or directory; repeatable")
    List<String> includes = new ArrayList<>();

    @Option(names = "--rescue", paramLabel = "none|busybox", description = "ship a static busybox as the rescue shell")
    String rescue;

    @Option(names = "--compress", paramLabel = "ALG", description = "none, lz4, zstd, gzip, xz")
    String compress;

    @Option(names = "--hostonly", negatable = true, description = "only the modules this machine's root needs (from /proc/self/mountinfo and /sys)")
    Boolean hostonly;

    @Option(names = "--microcode", negatable = true, description = "an early uncompressed CPU microcode segment, when the host has microcode")
    Boolean microcode;

    /** Failures reach the user through {@link Errors}, as one line naming the file or setting at fault. */
    @Override
    public Integer call() throws IOException {
        ImageFormat imageFormat = ImageFormat.parse(format);
        BuildConfig cfg = config();
        PrintWriter err = spec.commandLine().getErr();
        long start = System.nanoTime();
        ImageBuilder builder = new ImageBuilder(JavaRuntime.defaultCacheDir(System.getenv(), System.getProperty("user.home")),
                ImageBuilder.sourceDateEpoch(), line -> err.println("liftoff build: " + line));
        ImageBuilder.Result result = builder.build(cfg, imageFormat, output);
        System.out.print(result.plan().sizeSummary());
        System.out.printf("image      %10d bytes (%s)%s%n", result.imageBytes(),
                result.format() == ImageFormat.CPIO ? result.plan().compress() : result.format().word(),
                result.aotCache() ? "" : ", no AOT cache");
        System.out.printf("wrote %s in %.1f s%n", output, (System.nanoTime() - start) / 1e9);
        return 0;
    }

    /** The config file (a named one must exist, the default one may not), then the options over it. */
    BuildConfig config() throws IOException {
        BuildConfig cfg = config != null ? BuildConfig.load(config) : BuildConfig.loadIfPresent(Path.of(BuildConfig.DEFAULT_PATH));
        if (!modules.isEmpty()) cfg = cfg.with("MODULES", String.join(" ", modules));
        if (kernelVersion != null) cfg = cfg.withKernelVersion(kernelVersion, KERNEL_VERSION_OPTION);
        if (!includes.isEmpty()) cfg = cfg.with("INCLUDE", String.join(" ", includes));
        if (rootTree != null) cfg = withRootTree(cfg);
        if (rescue != null) cfg = cfg.with("RESCUE", rescue);
        if (compress != null) cfg = cfg.with("COMPRESS", compress);
        if (microcode != null) cfg = cfg.with("MICROCODE", microcode ? "yes" : "no");
        if (hostonly != null) cfg = cfg.with("HOSTONLY", hostonly ? "yes" : "no");
        return cfg;
    }

    /** The root tree added to the INCLUDE entries (the file's or the options'), as DIR:/. */
    private BuildConfig withRootTree(BuildConfig cfg) throws IOException {
        if (!Files.isDirectory(rootTree)) {
            throw Files.exists(rootTree) ? new NotDirectoryException(rootTree.toString()) : new NoSuchFileException(rootTree.toString());
        }
        List<String> entries = new ArrayList<>();
        for (BuildConfig.Include include : cfg.includes()) entries.add(include.source() + ":" + include.target());
        entries.add(rootTree.toAbsolutePath() + ":/");
        return cfg.with("INCLUDE", String.join(" ", entries));
    }
}
