package liftoff.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import liftoff.cpio.Compression;
import liftoff.image.BuildConfig;
import liftoff.image.ImageBuilder;
import liftoff.image.JavaRuntime;
import liftoff.image.qemu.Kernel;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code liftoff bench boot}: builds liftoff images (one per --compress) for the kernel under test,
 * then runs the checkout's boot benchmark, bench/boot/boot-systems.sh (QEMU TCG with -icount, the
 * same root disk for every system), with those images beside the anchor systems, and adds what the
 * build took to its report.
 */
@Command(name = "boot", mixinStandardHelpOptions = true,
        description = {"Boot liftoff images beside other initramfs systems and report the boot times.",
                "Builds the liftoff images, boots them beside busybox, klibc, tiny-initramfs, initramfs-tools and",
                "dracut with bench/boot/boot-systems.sh, and writes a markdown report with the table.",
                "Words after -- go to the benchmark script (e.g. -- --reuse; see its --help)."})
final class BenchBootCommand implements Callable<Integer> {
    /** busybox-sh checks the rw root with e2fsck as liftoff does; busybox-sh-nofsck shows what that check costs. */
    static final String ANCHORS = "busybox-sh,busybox-sh-nofsck,klibc-sh,tiny-initramfs,initramfs-tools,initramfs-tools-list";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "-n", paramLabel = "BOOTS", description = "boots per system (default ${DEFAULT-VALUE})", defaultValue = "2")
    int boots;

    @Option(names = "--compress", paramLabel = "ALG", description = "a liftoff image per compression, named liftoff-ALG; repeatable (default none)")
    List<String> compressions = new ArrayList<>();

    @Option(names = "--anchors", paramLabel = "A,B", description = "the other systems to boot (default ${DEFAULT-VALUE}; '' for none)",
            defaultValue = ANCHORS)
    String anchors;

    @Option(names = "--kernel-version", paramLabel = "KVER", description = "the kernel under test (default: the newest cloud kernel in /boot)")
    String kernelVersion;

    @Option(names = "--work", paramLabel = "DIR", description = "where the images go (default ${DEFAULT-VALUE})",
            defaultValue = "/var/tmp/liftoff-bench")
    Path work;

    @Option(names = "--results", paramLabel = "FILE", description = "the report (default: bench/boot/results.md of this checkout, else DIR/results.md)")
    Path results;

    @Option(names = "--script", paramLabel = "FILE",
            description = "the benchmark script (default: bench/boot/boot-systems.sh of this checkout)")
    Path script;

    @Parameters(paramLabel = "SCRIPT-OPTION", description = "passed on to the benchmark script")
    List<String> scriptOptions = new ArrayList<>();

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintWriter err = spec.commandLine().getErr();
        String home = System.getProperty("liftoff.home");
        Path scriptFile = script != null ? script : home != null ? defaultScript(Path.of(home)) : null;
        if (scriptFile == null || !Files.isRegularFile(scriptFile)) {
            err.println("liftoff bench boot: no benchmark script " + (scriptFile == null ? "" : scriptFile + " ")
                    + "(run ./liftoff of a checkout, or give --script)");
            return 2;
        }
        String kver = kernelVersion != null ? kernelVersion : Kernel.newestInstalled().version();
        String kverReason = kernelVersion != null ? BuildCommand.KERNEL_VERSION_OPTION : "the newest cloud kernel in /boot";
        Path report = results != null ? results : defaultResults();
        Files.createDirectories(work);

        Map<String, String> built = new LinkedHashMap<>();   // system name -> report line
        List<String> command = new ArrayList<>(List.of("bash", scriptFile.toString(), "-n", Integer.toString(boots)));
        List<String> systems = new ArrayList<>(anchors.isBlank() ? List.of() : List.of(anchors.split(",")));
        for (String compress : compressions.isEmpty() ? List.of("none") : compressions) {
            String name = "liftoff-" + compress;
            Path image = work.resolve(name + ".img");
            BuildConfig config = BuildConfig.defaults().withKernelVersion(kver, kverReason).withCompress(Compression.parse(compress));
            long start = System.nanoTime();
            ImageBuilder.Result result = new ImageBuilder(JavaRuntime.defaultCacheDir(System.getenv(), System.getProperty("user.home")),
                    ImageBuilder.sourceDateEpoch(), line -> err.println("liftoff build: " + line)).build(config, image);
            double seconds = (System.nanoTime() - start) / 1e9;
            built.put(name, String.format("| %s | %s | %,d | %,d | %.1f |", name, compress,
                    result.plan().sizes().values().stream().mapToLong(Long::longValue).sum(), result.imageBytes(), seconds));
            command.addAll(List.of("--image", name + "=" + image));
            systems.add(name);
        }
        command.addAll(List.of("--only", String.join(",", systems), "--results", report.toString()));
        command.addAll(scriptOptions);

        ProcessBuilder benchmark = new ProcessBuilder(command).inheritIO();
        benchmark.environment().put("KVER", kver);
        int status = benchmark.start().waitFor();
        if (Files.isRegularFile(report)) {
            List<String> section = new ArrayList<>(List.of("", "## liftoff images (built by `liftoff bench boot`)", "",
                    "| system | COMPRESS | unpacked bytes | image bytes | build s (runtime and AOT cache reused when cached) |",
                    "|---|---|---:|---:|---:|"));
            section.addAll(built.values());
            Files.write(report, section, StandardOpenOption.APPEND);
        }
        return status;
    }

    /** The benchmark of the checkout ./liftoff runs from. */
    static Path defaultScript(Path checkout) {
        return checkout.resolve("bench/boot/boot-systems.sh");
    }

    private Path defaultResults() {
        String home = System.getProperty("liftoff.home");
        return home != null ? Path.of(home, "bench", "boot", "results.md") : work.resolve("results.md");
    }
}
