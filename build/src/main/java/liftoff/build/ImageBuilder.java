package liftoff.build;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import liftoff.cpio.ArchivePlan;
import liftoff.cpio.Compression;
import liftoff.cpio.CpioWriter;
import liftoff.cpio.Format;
import liftoff.cpio.Spec;

/**
 * `liftoff build`, start to end: the init's jar, the planned layout (runtime, libraries, modules,
 * firmware, rescue, extras), the AOT cache trained in a chroot of the image, then the cpio archive
 * (an uncompressed microcode segment first when there is one). Same inputs and SOURCE_DATE_EPOCH,
 * same bytes.
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
        String value = System.getenv("SOURCE_DATE_EPOCH");
        return value == null || value.isBlank() ? 0 : Long.parseLong(value.strip());
    }

    /** What was built, for the summary. */
    public record Result(ImageLayout.Plan plan, long imageBytes, boolean aotCache) {}

    public Result build(BuildConfig config, Path output) throws IOException {
        Path work = Files.createTempDirectory("liftoff-build-");
        try {
            progress.accept("init: writing the init jar");
            Path jar = work.resolve("init.jar");
            try (OutputStream out = Files.newOutputStream(jar)) {
                InitJar.write(out, epoch);
            }
            progress.accept("layout: runtime, libraries, modules, firmware");
            ImageLayout.Plan plan = new ImageLayout(cacheDir, epoch).plan(config, jar, work.resolve("stage"));
            plan.notes().forEach(n -> progress.accept("layout: " + n));

            progress.accept("aot: training the AOT cache in a chroot of the image");
            Path specFile = plan.stagingDir().resolve("image.spec");
            boolean aot = trainAotCache(plan, work.resolve("train"), specFile);

            progress.accept("cpio: writing " + output + " (" + plan.compress() + ")");
            Path partial = output.resolveSibling(output.getFileName() + ".partial");
            try (OutputStream out = Files.newOutputStream(partial)) {
                if (plan.microcodeSpec().isPresent()) {
                    writeSegment(plan.stagingDir().resolve("microcode.spec"), Compression.parse("none"), out);
                }
                writeSegment(specFile, Compression.parse(plan.compress()), out);
            }
            Files.move(partial, output, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return new Result(plan, Files.size(output), aot);
        } finally {
            deleteTree(work);
        }
    }

    /**
     * Adds /app.aot to the image, or, when training fails (no chroot possible, an unusual JDK),
     * drops -XX:AOTCache from /jvm.args: the image then starts slower but still boots.
     */
    private boolean trainAotCache(ImageLayout.Plan plan, Path trainRoot, Path specFile) throws IOException {
        Path jvmArgs = plan.stagingDir().resolve("root/jvm.args");
        try {
            plan.materialize(trainRoot);
            Path cache = AotTrainer.train(trainRoot, JavaRuntime.jvmArgs());
            Path staged = plan.stagingDir().resolve("root" + AotTrainer.CACHE);
            Files.copy(cache, staged, StandardCopyOption.REPLACE_EXISTING);
            Files.setLastModifiedTime(staged, FileTime.fromMillis(epoch * 1000));
            Files.writeString(specFile, "file " + AotTrainer.CACHE + " " + staged + " 0644 0 0\n",
                    StandardOpenOption.APPEND);
            return true;
        } catch (IOException e) {
            progress.accept("aot: " + e.getMessage().lines().findFirst().orElse("failed")
                    + "; building without an AOT cache (slower start)");
            List<String> args = JavaRuntime.jvmArgs().stream().filter(a -> !a.startsWith("-XX:AOTCache=")).toList();
            Files.writeString(jvmArgs, String.join("\n", args) + "\n");
            Files.setLastModifiedTime(jvmArgs, FileTime.fromMillis(epoch * 1000));
            return false;
        }
    }

    private void writeSegment(Path spec, Compression.Setting compression, OutputStream out) throws IOException {
        ArchivePlan archive = new ArchivePlan().owner(0, 0).clampMtime(epoch);
        Spec.addSpec(archive, spec, epoch);
        OutputStream segment = compression.open(new NonClosing(out));
        try (CpioWriter writer = new CpioWriter(segment, Format.NEWC)) {
            archive.writeTo(writer);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    /** Lets a compressor close its stream (to write its trailer) without closing the image file. */
    private static final class NonClosing extends FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            out.flush();
        }
    }
}
