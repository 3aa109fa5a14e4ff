package liftoff.image;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The Java runtime that runs /init: a jlink image of only the modules the init needs, trimmed as
 * /work/shared/reference/jvm-pid1.md measured (stripped native libraries, no class list, no jrt-fs.jar,
 * no default CDS archive because the AOT cache replaces it), with the init's method-handle forms
 * pre-generated into java.base ({@link JliTrace}), cached between builds.
 *
 * <p>The cache key is the JDK's {@code release} file (it names the exact build), the module list and
 * everything this class does to the image, so a JDK update or a change here never reuses a stale image.
 */
public final class JavaRuntime {
    /** Where the runtime lives in the image; {@link #jvmArgs} and the /init launcher line depend on it. */
    public static final String IMAGE_DIR = "/jre";

    /** Where the trained AOT cache lives in the image; {@link #jvmArgs} names it. */
    public static final String AOT_CACHE = "/app.aot";
    private static final String AOT_CACHE_OPTION = "-XX:AOTCache=";

    /**
     * Where the JVM writes why it rejected the AOT cache, if it does: the init reads it and logs
     * "AOT cache not used: REASON" (liftoff.init.AotStatus). It lives in the initramfs, which is
     * writable from the first instruction and emptied at the hand-over.
     */
    public static final String AOT_LOG = "/jvm-aot.log";

    private static final List<String> JLINK_OPTIONS = List.of("--strip-debug", "--no-header-files", "--no-man-pages");

    /**
     * The class image compressed by jlink (zip-6): 25.6 MB of classes become 11.8 MB, which suits an
     * uncompressed initramfs. In a compressed initramfs it is the wrong way round: zip-compressed
     * classes do not compress again, and the whole image came out 3-4 MB larger than with plain
     * classes (README "Boot speed").
     */
    private static final String COMPRESS_CLASSES = "--compress=zip-6";

    /**
     * Files the PID 1 never opens (checked with strace on the training run, which takes the boot's
     * paths): the CDS class list, the jrt filesystem for other JDKs, TLS trust and cookie data,
     * keytool, jexec, the signal-chaining library (only for LD_PRELOAD), the sort library (loaded
     * only by the C2 compiler, and the init runs -Xint) and the old-class-file verifier (the init's
     * classes are Java 25). jspawnhelper stays: the rescue shell is started with ProcessBuilder.
     */
    private static final List<String> UNNEEDED = List.of("lib/classlist", "lib/jrt-fs.jar", "lib/security/cacerts",
            "lib/security/public_suffix_list.dat", "bin/keytool", "lib/jexec", "lib/libjsig.so", "lib/server/libjsig.so",
            "lib/libsimdsort.so", "lib/libverify.so");

    /**
     * How many runtimes the cache keeps, the most recently used: one is about 50 MB, and a JDK
     * update or the other COMPRESS kind (plain or zip-compressed class image) makes a new one.
     */
    static final int RUNTIMES_KEPT = 4;

    /** How many jdeps answers the cache keeps (a few bytes each; one per init jar). */
    static final int JDEPS_KEPT = 16;

    /** Bump when the image this class produces changes in a way the key does not see. */
    private static final String RECIPE_VERSION = "3";

    private final Path jdk;
    private final Path cacheDir;

    /**
     * @param jdk      a JDK 25+ home with bin/jlink and bin/jdeps
     * @param cacheDir where finished images are kept, see {@link #defaultCacheDir}
     */
    public JavaRuntime(Path jdk, Path cacheDir) {
        this.jdk = jdk;
        this.cacheDir = cacheDir;
    }

    /** $XDG_CACHE_HOME/liftoff, else ~/.cache/liftoff. */
    public static Path defaultCacheDir(Map<String, String> environment, String userHome) {
        String xdg = environment.get("XDG_CACHE_HOME");
        Path base = xdg != null && xdg.startsWith("/") ? Path.of(xdg) : Path.of(userHome, ".cache");
        return base.resolve("liftoff");
    }

    /**
     * The JVM options for /jvm.args (jvm-pid1.md "g-best"): serial GC and the interpreter only (compiler
     * threads cost more than they save in a short-lived PID 1), no perf data file, the AOT cache at a
     * fixed address, and no cached adapters/stubs (they crash on a CPU older than the build host's).
     * The JVM's AOT warnings go to {@link #AOT_LOG} instead of the console, where they would say
     * "Run with -Xlog:aot for details" to someone who cannot. The list ends in the main class, with
     * /init (the jar behind the launcher line) as the class path: with {@code -jar} the launcher
     * opened the jar and read its central directory and manifest, interpreted, before main() (24 ms
     * of the boot, measured), while the AOT cache already holds the main class. The manifest's
     * Enable-Native-Access is therefore given as an option. The kernel appends "/init" when it runs
     * the launcher line: the init's main() gets it as an argument and ignores it.
     *
     * @param mainClass the init jar's Main-Class
     */
    public static List<String> jvmArgs(String mainClass) {
        return jvmArgs(mainClass, true);
    }

    /**
     * As {@link #jvmArgs(String)}; without {@code aotLogFile} the AOT messages are only kept off the
     * console. An image on a partition the kernel mounts read-only has no writable place before the
     * init mounts one, and the JVM refuses to start at all when it cannot open its log file
     * ("Invalid -Xlog option"). The init then says the cache was not mapped, without the JVM's reason.
     */
    public static List<String> jvmArgs(String mainClass, boolean aotLogFile) {
        List<String> args = new ArrayList<>(List.of("-XX:+UseSerialGC", "-Xint", "-XX:-UsePerfData", "-XX:+UnlockDiagnosticVMOptions",
                "-XX:-AOTAdapterCaching", "-XX:-AOTStubCaching", AOT_CACHE_OPTION + AOT_CACHE, "-XX:ArchiveRelocationMode=0",
                "-Xlog:aot*=off"));
        if (aotLogFile) args.add("-Xlog:aot*=warning:file=" + AOT_LOG + ":none:filecount=0");
        args.addAll(List.of("--enable-native-access=ALL-UNNAMED", "-cp", ImageLayout.INIT_PATH, mainClass));
        return List.copyOf(args);
    }

    /**
     * The JVM options for the AOT training run: the boot's options ({@code bootArgs}, as /jvm.args
     * holds them) with the cache written to {@code output} instead of read, so that training and
     * boot cannot drift apart (an AOT cache is only used with the options it was created with).
     */
    public static List<String> trainingJvmArgs(List<String> bootArgs, String output) {
        return bootArgs.stream()
                .map(arg -> arg.startsWith(AOT_CACHE_OPTION) ? "-XX:AOTCacheOutput=" + output : arg)
                .toList();
    }

    /** The boot's options without the AOT cache: for an image whose training failed. */
    public static List<String> withoutAotCache(List<String> bootArgs) {
        return bootArgs.stream().filter(arg -> !arg.startsWith(AOT_CACHE_OPTION)).toList();
    }

    /** /jvm.args's text: one option per line, as the launcher's @argfiles read them (none has a space). */
    public static String argFile(List<String> args) {
        return String.join("\n", args) + "\n";
    }

    /**
     * The modules {@code jar} needs according to jdeps; java.base alone when it needs nothing more. jdeps
     * takes seconds, so the answer is cached by the jar's content and the JDK.
     */
    public List<String> modulesFor(Path jar) throws IOException {
        Path cached = cacheDir.resolve("jdeps-" + key(Files.readAllBytes(jar)));
        if (Files.isRegularFile(cached)) {
            CacheLimit.touch(cached);
        } else {
            String output = run(List.of(tool("jdeps").toString(), "--print-module-deps", "--ignore-missing-deps",
                    "--multi-release", "base", jar.toString()), "jdeps").strip();
            Files.createDirectories(cacheDir);
            Path partial = Cleanup.tempFile(cacheDir, ".jdeps-", "");
            try {
                Files.writeString(partial, output.isEmpty() ? "java.base" : output);
                Files.move(partial, cached, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Cleanup.delete(partial);
            }
            CacheLimit.keepNewest(cacheDir, "jdeps-", "", JDEPS_KEPT);
        }
        return Arrays.stream(Files.readString(cached).split(",")).map(String::strip).sorted().toList();
    }

    /**
     * The trimmed runtime for {@code modules}, built by jlink on the first call and taken from the cache
     * afterwards. The returned directory belongs to the cache: copy it, do not change it.
     *
     * @param compressClasses whether jlink compresses the class image: yes for an uncompressed
     *                        initramfs, no when the whole initramfs is compressed anyway
     */
    public Path image(List<String> modules, boolean compressClasses) throws IOException {
        List<String> sorted = modules.stream().sorted().distinct().toList();
        List<String> options = jlinkOptions(compressClasses);
        Path image = cacheDir.resolve("jre-" + key(recipe(sorted, options).getBytes(StandardCharsets.UTF_8)));
        if (Files.isDirectory(image)) {
            CacheLimit.touch(image);
            return image;
        }
        Files.createDirectories(cacheDir);
        Path building = Cleanup.tempDirectory(cacheDir, ".building-");
        try {
            Path output = building.resolve("jre");
            List<String> command = new ArrayList<>(List.of(tool("jlink").toString(), "--add-modules", String.join(",", sorted)));
            command.addAll(options);
            Optional<String> jliTrace = JliTrace.forJdk(jdk);   // read only here: opening the JDK's jrt image takes 0.7 s
            if (jliTrace.isPresent()) {
                Path trace = Files.writeString(building.resolve("jli-trace.txt"), jliTrace.get());
                command.add("--generate-jli-classes=@" + trace);
            }
            command.addAll(List.of("--output", output.toString()));
            run(command, "jlink");
            strip(output);
            for (String unneeded : UNNEEDED) {
                Files.deleteIfExists(output.resolve(unneeded));
            }
            try {
                // The rename publishes the image atomically: a concurrent build sees all of it or none.
                Files.move(output, image, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | DirectoryNotEmptyException anotherBuildWon) {
                // Its image is as good as this one, which goes with the building directory.
            }
        } finally {
            Cleanup.delete(building);
        }
        CacheLimit.keepNewest(cacheDir, "jre-", "", RUNTIMES_KEPT);
        return image;
    }

    /** Copies the runtime for {@code modules} to {@code dir} (which must not exist), e.g. STAGING/jre. */
    public void stageInto(Path dir, List<String> modules, boolean compressClasses) throws IOException {
        Path image = image(modules, compressClasses);
        Files.createDirectories(dir.getParent());
        try (Stream<Path> walk = Files.walk(image)) {
            for (Path source : walk.sorted().toList()) {
                Path target = dir.resolve(image.relativize(source).toString());
                if (Files.isSymbolicLink(source)) {
                    Files.createSymbolicLink(target, Files.readSymbolicLink(source));
                } else if (Files.isDirectory(source)) {
                    Files.createDirectory(target);
                } else {
                    Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    /** Everything about a runtime image that is not the JDK itself (the JDK's own jli list comes with its release). */
    private static String recipe(List<String> modules, List<String> jlinkOptions) throws IOException {
        return String.join("\n", modules) + "\n" + String.join(" ", jlinkOptions) + "\n" + UNNEEDED
                + "\nstrip=" + findStrip().isPresent() + "\nrecipe=" + RECIPE_VERSION + "\njli=" + JliTrace.initTrace();
    }

    private static List<String> jlinkOptions(boolean compressClasses) {
        List<String> options = new ArrayList<>(JLINK_OPTIONS);
        if (compressClasses) options.add(COMPRESS_CLASSES);
        return options;
    }

    /** A cache key: the JDK's release file (it names the exact build) and {@code input}, hashed. */
    private String key(byte[] input) throws IOException {
        Path release = jdk.resolve("release");
        if (!Files.isRegularFile(release)) {
            throw new IOException(release + ": missing; " + jdk + " is not a JDK home");
        }
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(Files.readAllBytes(release));
            digest.update(input);
            return HexFormat.of().formatHex(digest.digest(), 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("every JDK has SHA-256", e);
        }
    }

    /**
     * strip --strip-unneeded on every shared library (libjvm.so: 29.8 → 24.8 MB). jlink's --strip-debug
     * leaves the symbol tables, which only a debugger reads. Without binutils the image is just bigger.
     */
    private static void strip(Path runtime) throws IOException {
        Optional<Path> strip = findStrip();
        if (strip.isEmpty()) {
            return;
        }
        List<String> command = new ArrayList<>(List.of(strip.get().toString(), "--strip-unneeded"));
        try (Stream<Path> walk = Files.walk(runtime)) {
            walk.filter(p -> p.getFileName().toString().endsWith(".so") && Files.isRegularFile(p))
                    .sorted()
                    .forEach(p -> command.add(p.toString()));
        }
        run(command, "strip");
    }

    private static Optional<Path> findStrip() {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        return Arrays.stream(path.split(":"))
                .filter(dir -> !dir.isEmpty())
                .map(dir -> Path.of(dir, "strip"))
                .filter(Files::isExecutable)
                .findFirst();
    }

    private Path tool(String name) throws IOException {
        Path tool = jdk.resolve("bin").resolve(name);
        if (!Files.isExecutable(tool)) {
            throw new IOException(tool + ": missing; " + jdk + " is not a full JDK");
        }
        return tool;
    }

    /** Runs {@code command}, returning its standard output; a failure carries its error output in the message. */
    private static String run(List<String> command, String what) throws IOException {
        Path errors = Cleanup.tempFile(null, "liftoff-" + what, ".err");
        try {
            Process process = Cleanup.start(new ProcessBuilder(command).redirectError(errors.toFile()));
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.waitFor() != 0) {
                throw new IOException(what + " failed (exit " + process.exitValue() + "): " + String.join(" ", command)
                        + "\n" + (output + Files.readString(errors)).strip());
            }
            return output;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(what + " interrupted", e);
        } finally {
            Cleanup.delete(errors);
        }
    }
}
