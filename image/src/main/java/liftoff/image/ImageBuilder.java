package liftoff.image;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import liftoff.cpio.ArchivePlan;
import liftoff.cpio.Compression;
import liftoff.cpio.CpioWriter;
import liftoff.cpio.Format;
import liftoff.cpio.NamedOutputStream;
import liftoff.cpio.SourceDateEpoch;
import liftoff.sys.Errno;
import liftoff.sys.SyscallException;

/**
 * `liftoff build`, start to end: the init's jar, the planned layout (runtime, libraries, modules,
 * firmware, rescue, extras), the AOT cache trained in a chroot of the image, then the cpio archive
 * (an uncompressed microcode segment first when there is one), or the same tree for a partition
 * ({@link ImageFormat}). Same inputs and SOURCE_DATE_EPOCH, same bytes in every entry but /app.aot,
 * which the JDK does not train deterministically: it is trained once per image content and kept
 * ({@link AotCacheStore}), so a rebuild gives the same image.
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
        if (format.forPartition() && config.compress().compression() != Compression.NONE) {
            progress.accept("layout: COMPRESS=" + config.compress() + " is for an initramfs; a " + format.word() + " image is not compressed");
            config = config.withCompress(Compression.parse("none"));
        }
        Path partial = format == ImageFormat.DIR ? null : claimOutput(output);
        Path work = null;
        try {
            work = Cleanup.tempDirectory(null, "liftoff-image-");
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
            if (format.forPartition() && !plan.microcode().isEmpty()) {
                progress.accept(format.word() + ": no early microcode: the kernel loads it only from an initramfs");
            }
            long bytes = switch (format) {
                case CPIO -> {
                    writeCpio(plan, partial, output);
                    yield Files.size(output);
                }
                case DIR -> {
                    PartitionImage.writeDirectory(plan, output, progress);
                    yield plan.sizes().values().stream().mapToLong(Long::longValue).sum();
                }
                case EXT4 -> {
                    PartitionImage.writeExt4(plan, partial, output, epoch, work);
                    yield Files.size(output);
                }
            };
            return new Result(plan, format, bytes, aot);
        } catch (IOException | RuntimeException e) {
            // Interrupted (SIGINT, SIGTERM), the build fails wherever it was, for a reason that is not one.
            if (Cleanup.exiting()) throw new IOException("interrupted", e);
            throw e;
        } finally {
            if (work != null) Cleanup.delete(work);
            if (partial != null) Cleanup.delete(partial);   // nothing left to delete once it is published
        }
    }

    /**
     * Checks where the image goes, for a command line to report before any work: {@code output} is
     * not a directory and IMAGE.partial, which the image is written to and then renamed, can be
     * created beside it. The message reads as the OS says it: "/proc/nope: No such file or directory".
     */
    public static void checkOutput(Path output) throws IOException {
        Cleanup.delete(claimOutput(output));
    }

    /** As {@link #checkOutput}, keeping IMAGE.partial (created empty; deleted if the build ends without an image). */
    private static Path claimOutput(Path output) throws IOException {
        if (Files.isDirectory(output)) {
            throw new FileSystemException(output.toString(), null, Errno.describe(Errno.EISDIR));
        }
        try {
            return Cleanup.file(output.resolveSibling(output.getFileName() + ".partial"));
        } catch (SyscallException e) {
            FileSystemException named = new FileSystemException(output.toString(), null, Errno.describe(e.errno()));
            named.initCause(e);
            throw named;
        }
    }

    /** The initramfs, written to {@code partial} and renamed: an uncompressed microcode segment first when there is one. */
    private void writeCpio(ImageLayout.Plan plan, Path partial, Path output) throws IOException {
        try (OutputStream out = new NamedOutputStream(Cleanup.newOutputStream(partial), output, true)) {
            if (!plan.microcode().isEmpty()) {
                writeSegment(plan.microcode(), Compression.parse("none"), out);
            }
            writeSegment(plan.entries(), plan.compress(), out);
        }
        Cleanup.publish(partial, output);
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
            store.put(key, cache).ifPresent(kept -> progress.accept("aot: trained; kept as " + kept));
            return plan.withAotCache(cache);
        } catch (IOException e) {
            if (Cleanup.exiting()) throw e;   // the training was stopped, it did not fail
            progress.accept("aot: " + e.getMessage().lines().findFirst().orElse("failed")
                    + "; building without an AOT cache (slower start)");
            Path jvmArgs = plan.stagingDir().resolve("root/jvm.args");
            Files.writeString(jvmArgs, JavaRuntime.argFile(JavaRuntime.withoutAotCache(Files.readAllLines(jvmArgs))));
            Files.setLastModifiedTime(jvmArgs, FileTime.fromMillis(epoch * 1000));
            return plan;
        }
    }

    private void writeSegment(List<ImageEntry> entries, Compression.Setting compression, OutputStream out) throws IOException {
        ArchivePlan archive = new ArchivePlan().owner(0, 0).clampMtime(epoch);
        for (ImageEntry entry : entries) entry.addTo(archive, epoch);
        OutputStream segment = compression.openSegment(out);
        try (CpioWriter writer = new CpioWriter(segment, Format.NEWC)) {
            archive.writeTo(writer);
        }
    }
}
