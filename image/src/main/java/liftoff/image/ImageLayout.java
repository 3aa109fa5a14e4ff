package liftoff.image;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import liftoff.cpio.Compression;
import liftoff.init.modules.ModuleDatabase;

/**
 * Plans an image: everything that goes into the initramfs and where, as {@link ImageEntry} values plus
 * a staging directory for the files that had to be made (the runtime copy, /init, /jvm.args, module
 * indexes, microcode). Writing the cpio, compressing it and training the AOT cache come after.
 *
 * <p>The image, top down:
 * <pre>
 * /init                  "#!/jre/bin/java @/jvm.args\n" + the init jar (the kernel runs the launcher line)
 * /jvm.args              JavaRuntime.jvmArgs(), ending in -cp /init and the jar's Main-Class
 * /jre                   the trimmed jlink runtime
 * /lib64/ld-linux-...    the loader at exactly its PT_INTERP path, libraries at their host paths with
 *                        the host's symlinks (merged /usr: /lib -> usr/lib), boot aliases (libjli.so)
 * /lib/modules/KVER      the selected modules (compressed ones as they are), modules.dep/alias/builtin
 *                        for the subset, and liftoff.load: the load order
 * /lib/firmware          the firmware those modules declare and the host has
 * /usr/sbin/e2fsck       FSCK's checkers at their host paths, their libraries beside the runtime's
 * /bin/busybox, /bin/sh  with RESCUE=busybox
 * /dev/console, /dev/null, and empty /proc /sys /dev /run /tmp /newroot for the init to mount on
 * </pre>
 * Everything is owned by 0:0, names are sorted, and the staged files' mtimes are SOURCE_DATE_EPOCH, so
 * the same inputs give the same entries and the same bytes.
 */
public final class ImageLayout {
    /** The init: the kernel runs it as PID 1; a launcher line and the init's jar. */
    public static final String INIT_PATH = "/init";

    /** The first line of /init: the kernel's binfmt_script runs the runtime with the argument file. */
    public static final String LAUNCHER_LINE = "#!" + JavaRuntime.IMAGE_DIR + "/bin/java @/jvm.args\n";

    /** Directories the init mounts on or needs before it can create anything. */
    private static final List<String> MOUNT_POINTS = List.of("/dev", "/proc", "/sys", "/run", "/newroot");

    private final Path cacheDir;
    private final long sourceDateEpoch;

    /**
     * The result.
     *
     * @param entries        the main archive's entries, sorted by name
     * @param microcode      the early microcode segment's entries, to be written uncompressed before the
     *                       main archive; empty when there is none
     * @param stagingDir     the generated files the entries refer to (root/init, root/jvm.args, root/jre,
     *                       modules/, microcode/); {@link #materialize} builds the whole tree for a chroot
     * @param kernel         the kernel the modules are for, and why that one
     * @param sizes          bytes of regular files per part
     * @param compress       the configured COMPRESS, for the cpio writer
     * @param notes          what the build log should say: kernel choice, skipped modules, missing firmware
     */
    public record Plan(List<ImageEntry> entries, List<ImageEntry> microcode, Path stagingDir,
            KernelVersion kernel, Map<Part, Long> sizes, Compression.Setting compress, List<String> notes) {

        /**
         * This plan with the trained AOT cache added as {@value JavaRuntime#AOT_CACHE} (counted as runtime).
         * The training run is the integrator's: materialize the plan, run
         * {@code chroot ROOT /jre/bin/java JavaRuntime.trainingJvmArgs(...) /init} in the init's training
         * mode, and pass the file it wrote.
         */
        public Plan withAotCache(Path aotCache) throws IOException {
            if (!Files.isRegularFile(aotCache)) {
                throw new IOException(aotCache + ": AOT cache not found");
            }
            if (entries.stream().anyMatch(e -> e.name().equals(JavaRuntime.AOT_CACHE))) {
                throw new IOException(JavaRuntime.AOT_CACHE + " is already in the plan");
            }
            List<ImageEntry> withCache = new ArrayList<>(entries);
            withCache.add(new ImageEntry.File(JavaRuntime.AOT_CACHE, aotCache, 0644));
            withCache.sort(Comparator.comparing(ImageEntry::name));
            Map<Part, Long> newSizes = new EnumMap<>(sizes);
            newSizes.merge(Part.RUNTIME, Files.size(aotCache), Long::sum);
            return new Plan(List.copyOf(withCache), microcode, stagingDir, kernel, newSizes, compress, notes);
        }

        /**
         * Builds the image as a directory tree at {@code dir} (new or empty) — for the AOT training chroot,
         * or to look at. Files are copied with their mtimes; device nodes are left out (creating them needs
         * privileges the training run does not).
         */
        public void materialize(Path dir) throws IOException {
            Files.createDirectories(dir);
            for (ImageEntry entry : entries) {
                Path target = dir.resolve(entry.name().substring(1));
                switch (entry) {
                    case ImageEntry.Dir d -> {
                        Files.createDirectories(target);
                        Files.setPosixFilePermissions(target, ImageTree.permissions(d.mode()));
                    }
                    case ImageEntry.File f -> {
                        Files.copy(f.source(), target, StandardCopyOption.COPY_ATTRIBUTES);
                        Files.setPosixFilePermissions(target, ImageTree.permissions(f.mode()));
                    }
                    case ImageEntry.Symlink l -> Files.createSymbolicLink(target, Path.of(l.target()));
                    case ImageEntry.Node n -> { }
                }
            }
        }

        /** "runtime 51.2 MB, libraries 2.4 MB, ..." plus the total, for the build log. */
        public String sizeSummary() {
            StringBuilder text = new StringBuilder();
            long total = 0;
            for (Map.Entry<Part, Long> entry : sizes.entrySet()) {
                if (entry.getKey() != Part.BASE) {
                    text.append(String.format("%-10s %10d bytes%n", entry.getKey().name().toLowerCase(), entry.getValue()));
                }
                total += entry.getValue();
            }
            return text.append(String.format("%-10s %10d bytes%n", "total", total)).toString();
        }
    }

    public ImageLayout(Path cacheDir, long sourceDateEpoch) {
        this.cacheDir = cacheDir;
        this.sourceDateEpoch = sourceDateEpoch;
    }

    /** Plans an initramfs into {@code stagingDir}, which must be empty or not exist. */
    public Plan plan(BuildConfig config, Path initJar, Path stagingDir) throws IOException {
        return plan(config, initJar, stagingDir, ImageFormat.CPIO);
    }

    /**
     * Plans into {@code stagingDir}, which must be empty or not exist, for {@code format}: the same
     * tree either way, except that the JVM of an image for a partition writes no log file.
     */
    public Plan plan(BuildConfig config, Path initJar, Path stagingDir, ImageFormat format) throws IOException {
        Files.createDirectories(stagingDir);
        try (Stream<Path> existing = Files.list(stagingDir)) {
            if (existing.findAny().isPresent()) {
                throw new IOException(stagingDir + ": staging directory is not empty");
            }
        }
        if (!Files.isRegularFile(initJar)) {
            throw new IOException(initJar + ": init jar not found");
        }
        List<String> notes = new ArrayList<>();
        Path root = stagingDir.resolve("root");
        ImageTree tree = new ImageTree();

        KernelVersion kernel = config.kernelVersion().isPresent()
                ? config.kernelVersion().get().installedUnder(config.modulesDir())
                : KernelVersion.choose(config.modulesDir(), Path.of("/proc/sys/kernel/osrelease"));
        notes.add("kernel " + kernel.version() + ": " + kernel.reason());

        // The runtime first: the libraries it needs are found from its staged copy.
        JavaRuntime runtime = new JavaRuntime(config.jdk(), cacheDir);
        Path jre = root.resolve(JavaRuntime.IMAGE_DIR.substring(1));
        runtime.stageInto(jre, runtime.modulesFor(initJar), config.compress().compression() == Compression.NONE);

        Optional<Path> busybox = config.rescue() == BuildConfig.Rescue.BUSYBOX ? Optional.of(busybox()) : Optional.empty();

        // Host paths before generated ones, so that /lib is already the host's symlink (or directory)
        // when /lib/modules/... is placed; see ImageTree.
        addLibraries(tree, jre, busybox);
        addFsck(tree, config.fsck());
        addRescue(tree, busybox);
        addModules(tree, config, kernel.version(), stagingDir, notes);
        for (BuildConfig.Include include : config.includes()) {
            if (!Files.exists(include.source())) {
                throw new IOException("INCLUDE " + include.source() + ": No such file or directory");
            }
            tree.copy(include.source(), include.target(), Part.EXTRA);
        }
        tree.copy(jre, JavaRuntime.IMAGE_DIR, Part.RUNTIME);
        addInit(tree, root, initJar, !format.forPartition());
        addBase(tree);

        List<ImageEntry> microcode = List.of();
        if (config.microcode()) {
            microcode = Microcode.stage(config.firmwareDir(), stagingDir.resolve("microcode"));
            if (microcode.isEmpty()) {
                notes.add("microcode: none under " + config.firmwareDir() + "/{intel,amd}-ucode, no early segment");
            }
        }
        clampMtimes(stagingDir);
        return new Plan(tree.entries(), microcode, stagingDir, kernel, tree.sizes(), config.compress(), notes);
    }

    /**
     * The loader and libraries of the runtime (java at start; the jre's other libraries are dlopen()ed)
     * and of a dynamically linked busybox. Libraries inside the staged runtime ship as part of it.
     */
    private static void addLibraries(ImageTree tree, Path jre, Optional<Path> busybox) throws IOException {
        List<Path> programs = new ArrayList<>(List.of(jre.resolve("bin/java")));
        busybox.ifPresent(programs::add);
        List<Path> dlopened;
        try (Stream<Path> files = Files.walk(jre.resolve("lib"))) {
            dlopened = files.filter(f -> f.getFileName().toString().endsWith(".so") && Files.isRegularFile(f)).sorted().toList();
        }
        LibraryResolver.Closure closure = LibraryResolver.forHost().resolve(programs, dlopened);
        for (Path loader : closure.loaders()) {
            tree.install(loader, Part.LIBRARIES);
        }
        for (Path library : closure.libraries()) {
            if (!library.startsWith(jre)) {
                tree.install(library, Part.LIBRARIES);
            }
        }
        for (Map.Entry<Path, Path> alias : closure.aliases().entrySet()) {
            Path target = alias.getValue();
            String imageTarget = target.startsWith(jre)
                    ? JavaRuntime.IMAGE_DIR + "/" + jre.relativize(target)
                    : target.toString();
            tree.symlink(alias.getKey().toString(), imageTarget, Part.LIBRARIES);
        }
    }

    /**
     * The checkers the init runs before mounting a writable root, found on the host's PATH for
     * system programs, with their libraries; those the runtime already brought count as libraries,
     * the rest as the checkers' own cost.
     */
    private static void addFsck(ImageTree tree, List<String> tools) throws IOException {
        List<Path> programs = new ArrayList<>();
        for (String tool : tools) {
            Path found = hostProgram(tool, List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin")).orElseThrow(() -> new IOException(
                    "FSCK " + tool + ": not in /usr/sbin, /sbin, /usr/bin or /bin on this host (e2fsck is in e2fsprogs;"
                    + " FSCK=\"\" ships none)"));
            tree.install(found, Part.FSCK);
            programs.add(found.toRealPath());
        }
        if (programs.isEmpty()) return;
        LibraryResolver.Closure closure = LibraryResolver.forHost().resolve(programs, List.of());
        for (Path loader : closure.loaders()) tree.install(loader, Part.FSCK);
        for (Path library : closure.libraries()) tree.install(library, Part.FSCK);
        for (Map.Entry<Path, Path> alias : closure.aliases().entrySet()) {
            tree.symlink(alias.getKey().toString(), alias.getValue().toString(), Part.FSCK);
        }
    }

    private static void addRescue(ImageTree tree, Optional<Path> busybox) throws IOException {
        if (busybox.isPresent()) {
            tree.file("/bin/busybox", busybox.get().toRealPath(), 0755, Part.RESCUE);
            tree.symlink("/bin/sh", "busybox", Part.RESCUE);
        }
    }

    private static Path busybox() throws IOException {
        return hostProgram("busybox", List.of("/usr/bin", "/bin", "/usr/sbin", "/sbin"))
                .orElseThrow(() -> new IOException("RESCUE=busybox: no busybox in /usr/bin, /bin, /usr/sbin, /sbin"
                        + " (apt-get install busybox-static)"));
    }

    /** The first executable {@code name} in {@code dirs}. */
    static Optional<Path> hostProgram(String name, List<String> dirs) {
        return dirs.stream().map(dir -> Path.of(dir, name)).filter(Files::isExecutable).findFirst();
    }

    private static void addModules(ImageTree tree, BuildConfig config, String kernelVersion, Path stagingDir, List<String> notes)
            throws IOException {
        List<String> requested = config.modules();
        if (config.hostonly()) {
            requested = hostOnlyModules(config, kernelVersion, notes);
        }
        List<String> ciphers = Crypttab.ciphers(Crypttab.HOST, notes::add);
        KernelModules.Selection selection =
                KernelModules.select(config.modulesDir(), kernelVersion, requested, ciphers, config.firmwareDir());
        notes.addAll(selection.notes());
        if (config.hostonly()) {
            KernelModules.Selection generic =
                    KernelModules.select(config.modulesDir(), kernelVersion, KernelModules.DEFAULT, config.firmwareDir());
            notes.add(String.format("hostonly: %d modules, %d bytes (the generic image's: %d modules, %d bytes)",
                    selection.modules().size(), moduleBytes(selection), generic.modules().size(), moduleBytes(generic)));
        }
        // Compressed modules ship as they are only to a kernel that decompresses them itself.
        boolean decompress = !selection.compressed().isEmpty()
                && !ModuleCompression.kernelDecompresses(config.modulesDir(), kernelVersion);
        if (!selection.compressed().isEmpty()) {
            notes.add(selection.compressed().size() + " compressed modules: " + (decompress
                    ? "decompressed into the image (" + kernelVersion + " has no CONFIG_MODULE_DECOMPRESS to load them as they are)"
                    : "shipped compressed; the kernel decompresses them (CONFIG_MODULE_DECOMPRESS)"));
        }
        UnaryOperator<String> pathInImage = decompress ? ModuleCompression::withoutCompression : UnaryOperator.identity();
        String imageDir = "/lib/modules/" + kernelVersion;
        Path kernelDir = config.modulesDir().resolve(kernelVersion);
        for (ModuleDatabase.Module module : selection.modules()) {
            Path source = kernelDir.resolve(module.path()).toRealPath();
            String path = pathInImage.apply(module.path());
            if (!path.equals(module.path())) {
                Path plain = stagingDir.resolve("modules-decompressed").resolve(path);
                Files.createDirectories(plain.getParent());
                source = Files.write(plain, ModuleCompression.decompress(source, module.compression()));
            }
            tree.file(imageDir + "/" + path, source, 0644, Part.MODULES);
        }
        Path indexDir = stagingDir.resolve("modules");
        for (String index : ModuleIndexFiles.write(selection, indexDir, pathInImage)) {
            tree.file(imageDir + "/" + index, indexDir.resolve(index), 0644, Part.MODULES);
        }
        for (Map.Entry<String, Path> firmware : selection.firmware().entrySet()) {
            tree.file("/lib/firmware/" + firmware.getKey(), firmware.getValue().toRealPath(), 0644, Part.FIRMWARE);
        }
    }

    /**
     * HOSTONLY: what this machine's root needs (HostOnly, from /proc/self/mountinfo and /sys), plus
     * the MODULES entries that are single modules; the groups are what hostonly leaves out.
     */
    private static List<String> hostOnlyModules(BuildConfig config, String kernelVersion, List<String> notes) throws IOException {
        ModuleDatabase database = ModuleDatabase.load(config.modulesDir().resolve(kernelVersion));
        HostOnly.Found found = HostOnly.forRunningRoot(database, Path.of("/sys"), Path.of("/proc/self/mountinfo"));
        notes.add("hostonly: the root is " + found.device() + " (" + found.fsType() + ")");
        found.reasons().forEach(r -> notes.add("hostonly: " + r));
        List<String> names = new ArrayList<>(found.modules());
        config.modules().stream().filter(m -> !KernelModules.GROUPS.containsKey(m) && !names.contains(m)).forEach(names::add);
        return names;
    }

    private static long moduleBytes(KernelModules.Selection selection) throws IOException {
        long total = 0;
        for (ModuleDatabase.Module module : selection.modules()) {
            total += Files.size(selection.database().kernelDir().resolve(module.path()));
        }
        return total;
    }

    /**
     * /init is the launcher line followed by the jar: the JVM finds the jar's central directory at the end.
     * {@code aotLogFile}: whether the JVM may write its AOT log into the image's root (not on a read-only partition).
     */
    private static void addInit(ImageTree tree, Path root, Path initJar, boolean aotLogFile) throws IOException {
        Path init = root.resolve("init");
        try (OutputStream out = Files.newOutputStream(init)) {
            out.write(LAUNCHER_LINE.getBytes(StandardCharsets.US_ASCII));
            Files.copy(initJar, out);
        }
        Path jvmArgs = root.resolve("jvm.args");
        Files.writeString(jvmArgs, JavaRuntime.argFile(JavaRuntime.jvmArgs(mainClass(initJar), aotLogFile)));
        tree.file(INIT_PATH, init, 0755, Part.INIT);
        tree.file("/jvm.args", jvmArgs, 0644, Part.INIT);
    }

    /** The jar's Main-Class: /jvm.args names it (the launcher is not asked to read the manifest at boot). */
    private static String mainClass(Path initJar) throws IOException {
        try (JarFile jar = new JarFile(initJar.toFile())) {
            Manifest manifest = jar.getManifest();
            String name = manifest == null ? null : manifest.getMainAttributes().getValue(Attributes.Name.MAIN_CLASS);
            if (name == null || name.isBlank()) throw new IOException(initJar + ": the init jar names no Main-Class");
            return name.strip();
        }
    }

    private static void addBase(ImageTree tree) throws IOException {
        for (String dir : MOUNT_POINTS) {
            tree.dir(dir);
        }
        tree.dir("/tmp", 01777);
        tree.node("/dev/console", 0600, 'c', 5, 1);
        tree.node("/dev/null", 0666, 'c', 1, 3);
    }

    /**
     * Sets every staged file's and directory's mtime to SOURCE_DATE_EPOCH. The AOT cache records /init's
     * mtime and size and refuses to load when they differ, and the kernel keeps cpio mtimes, so the
     * training run and the boot must both see this one value.
     */
    private void clampMtimes(Path stagingDir) throws IOException {
        FileTime epoch = FileTime.fromMillis(sourceDateEpoch * 1000);
        try (Stream<Path> walk = Files.walk(stagingDir)) {
            for (Path p : walk.toList()) {
                if (!Files.isSymbolicLink(p)) { // setLastModifiedTime would follow it
                    Files.setLastModifiedTime(p, epoch);
                }
            }
        }
    }
}
