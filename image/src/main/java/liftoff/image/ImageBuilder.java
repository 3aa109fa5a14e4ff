package liftoff.image;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import liftoff.cpio.ArchivePlan;
import liftoff.cpio.Compression;
import liftoff.cpio.CpioWriter;
import liftoff.cpio.Format;
import liftoff.cpio.NamedOutputStream;
import liftoff.cpio.SourceDateEpoch;
import liftoff.cpio.Spec;

/**
 * `liftoff build`, start to end: the init's jar, the planned layout (runtime, libraries, modules,
 * firmware, rescue, extras), the AOT cache trained in a chroot of the image, then the cpio archive
 * (an uncompressed microcode segment first when there is one), or the same tree for a partition
 * ({@link ImageFormat}). Same inputs and SOURCE_DATE_EPOCH, same cpio bytes.
 */
public final class ImageBuilder {
    private final Path cacheDir;
    private final long epoch;
    private final Consumer<String> progress;

    public ImageBuilder(Path cacheDir, long sourceDateEpoch, Consumer<String> progress) {
        this.cacheDir = cacheDir;
        this.epoch = sourceDateEpoch;
        this.progress = progress;
    }

    /** SOURCE_DATE_EPOCH from the environment, or 0: images are reproducible by default. */
    public static long sourceDateEpoch() {
        return SourceDateEpoch.fromEnvironment().orElse(0);
    }

    /** What was built, for the summary; {@code imageBytes} for a directory: its files' bytes. */
    public record Result(ImageLayout.Plan plan, ImageFormat format, long imageBytes, boolean aotCache) {}

    /** Builds an initramfs. */
    public Result build(BuildConfig config, Path output) throws IOException {
        return build(config, ImageFormat.CPIO, output);
    }

    public Result build(BuildConfig config, ImageFormat format, Path output) throws IOException {
        if (format.forPartition() && !config.compress().equals("none")) {
            progress.accept("layout: COMPRESS=" + config.compress() + " is for an initramfs; a " + format.word() + " image is not compressed");
            config = config.with("COMPRESS", "none");
        }
        Path work = Files.createTempDirectory("liftoff-image-");
        try {
            progress.accept("init: writing the init jar");
            Path jar = work.resolve("init.jar");
            try (OutputStream out = Files.newOutputStream(jar)) {
                InitJar.write(out, epoch);
            }
            progress.accept("layout: runtime, libraries, modules, firmware");
            ImageLayout.Plan plan = new ImageLayout(cacheDir, epoch).plan(config, jar, work.resolve("stage"), format);
            plan.notes().forEach(n -> progress.accept("layout: " + n));

            ImageLayout.Plan trained = withAotCache(plan, work.resolve("train"));
            boolean aot = trained != plan;
            plan = trained;

            progress.accept(format.word() + ": writing " + output + (format == ImageFormat.CPIO ? " (" + plan.compress() + ")" : ""));
            if (format.forPartition() && plan.microcodeSpec().isPresent()) {
                progress.accept(format.word() + ": no early microcode: the kernel loads it only from an initramfs");
            }
            long bytes = switch (format) {
                case CPIO -> {
                    writeCpio(plan, output);
                    yield Files.size(output);
                }
                case DIR -> {
                    PartitionImage.writeDirectory(plan, output, progress);
                    yield plan.sizes().values().stream().mapToLong(Long::longValue).sum();
                }
                case EXT4 -> {
                    PartitionImage.writeExt4(plan, output, epoch, work);
                    yield Files.size(output);
                }
            };
            return new Result(plan, format, bytes, aot);
        } finally {
            deleteTree(work);
        }
    }

    /** The initramfs: an uncompressed microcode segment first when there is one, then the image. */
    private void writeCpio(ImageLayout.Plan plan, Path output) throws IOException {
        Path partial = output.resolveSibling(output.getFileName() + ".partial");
        try (OutputStream out = new NamedOutputStream(Files.newOutputStream(partial), output, true)) {
            if (plan.microcodeSpec().isPresent()) {
                writeSegment(plan.stagingDir().resolve("microcode.spec"), Compression.parse("none"), out);
            }
            writeSegment(plan.stagingDir().resolve("image.spec"), Compression.parse(plan.compress()), out);
        }
        Files.move(partial, output, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * The plan with /app.aot added; or, when training fails (no chroot possible, an unusual JDK),
     * the plan with -XX:AOTCache dropped from /jvm.args: the image then starts slower but boots.
     */
    private ImageLayout.Plan withAotCache(ImageLayout.Plan plan, Path trainRoot) throws IOException {
        AotCacheStore store = new AotCacheStore(cacheDir);
        String key = AotCacheStore.key(plan);
        Optional<Path> known = store.find(key);
        if (known.isPresent()) {
            progress.accept("aot: reusing the cache trained for these exact contents (" + known.get() + ")");
            return plan.withAotCache(known.get());
        }
        progress.accept("aot: training the AOT cache in a chroot of the image");
        try {
            plan.materialize(trainRoot);
            Path cache = AotTrainer.train(trainRoot);
            Files.setLastModifiedTime(cache, FileTime.fromMillis(epoch * 1000));
            store.put(key, cache);
            return plan.withAotCache(cache);
        } catch (IOException e) {
            progress.accept("aot: " + e.getMessage().lines().findFirst().orElse("failed")
                    + "; building without an AOT cache (slower start)");
            Path jvmArgs = plan.stagingDir().resolve("root/jvm.args");
            Files.writeString(jvmArgs, JavaRuntime.argFile(JavaRuntime.withoutAotCache(Files.readAllLines(jvmArgs))));
            Files.setLastModifiedTime(jvmArgs, FileTime.fromMillis(epoch * 1000));
            return plan;
        }
    }

    private void writeSegment(Path spec, Compression.Setting compression, OutputStream out) throws IOException {
        ArchivePlan archive = new ArchivePlan().owner(0, 0).clampMtime(epoch);
        Spec.addSpec(archive, spec, epoch);
        OutputStream segment = compression.openSegment(out);
        try (CpioWriter writer = new CpioWriter(segment, Format.NEWC)) {
            archive.writeTo(writer);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
