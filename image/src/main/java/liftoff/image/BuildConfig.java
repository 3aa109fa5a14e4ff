package liftoff.image;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import liftoff.cpio.Compression;

/**
 * What to put into an image. Read from a shell-style {@code KEY=value} file (default
 * {@value #DEFAULT_PATH}, the mkinitcpio.conf / initramfs.conf convention; see {@link ShellAssignments});
 * a missing default file means the defaults ({@link #loadIfPresent}), a file someone names must exist
 * ({@link #load}), and command-line options override the file through {@link #with}.
 *
 * <p>Keys (docs/build.md has the long form):
 * <pre>
 * MODULES="storage virtio_net"   module names, aliases or groups (KernelModules.GROUPS); default "storage filesystems"
 * HOSTONLY=yes|no                only the modules this machine's root needs (HostOnly), instead of MODULES' groups
 * FSCK="e2fsck"                  root filesystem checkers to ship with their libraries; default e2fsck, "" for none
 * KERNEL_VERSION=6.1.0-56-cloud-amd64   default: the running kernel, else the newest in MODULES_DIR
 * COMPRESS=none|lz4|zstd|gzip|xz[:LEVEL]  for the cpio writer; default none (fastest to unpack)
 * RESCUE=none|busybox            a static busybox at /bin/busybox with /bin/sh; default none
 * INCLUDE="/etc/foo /src:/dst"   extra host files or directories, SRC or SRC:DST
 * MICROCODE=yes|no               an early microcode segment when the host has any; default yes
 * JDK=/usr/lib/jvm/...           the JDK to jlink from; default the JDK running the builder
 * MODULES_DIR=/lib/modules       where kernels' modules are; FIRMWARE_DIR=/lib/firmware likewise
 * </pre>
 */
public record BuildConfig(
        List<String> modules,
        Optional<KernelVersion> kernelVersion,
        Compression.Setting compress,
        Rescue rescue,
        List<Include> includes,
        boolean microcode,
        Path jdk,
        Path modulesDir,
        Path firmwareDir,
        List<String> fsck,
        boolean hostonly) {

    public static final String DEFAULT_PATH = "/etc/liftoff/liftoff.conf";

    /** The compressions an image may use, each with an optional level ("zstd:19"). */
    private static final List<String> COMPRESSIONS = List.of("none", "lz4", "zstd", "gzip", "xz");

    /** What the person at the console gets when the boot fails. */
    public enum Rescue {
        /** liftoff's built-in console (ls, cat, dmesg, mount, blkid, modprobe, switch-root, ...). */
        NONE,
        /** A static busybox at /bin/busybox with /bin/sh, beside the built-in console. */
        BUSYBOX;

        /** The value as the config file and the command line spell it. */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        /** "none" or "busybox"; anything else is an IllegalArgumentException naming both. */
        public static Rescue parse(String text) {
            for (Rescue rescue : values()) {
                if (rescue.label().equals(text)) return rescue;
            }
            throw new IllegalArgumentException("expected one of none, busybox");
        }
    }

    /** An extra host file or directory and where it goes in the image. */
    public record Include(Path source, String target) {
        /** "SRC" (same path in the image) or "SRC:DST"; both absolute. */
        public static Include parse(String spec) throws IOException {
            int colon = spec.indexOf(':');
            String source = colon < 0 ? spec : spec.substring(0, colon);
            String target = colon < 0 ? spec : spec.substring(colon + 1);
            if (!source.startsWith("/") || !target.startsWith("/")) {
                throw new IOException("INCLUDE entry '" + spec + "': SRC and DST must be absolute paths");
            }
            return new Include(Path.of(source), target);
        }
    }

    public BuildConfig {
        modules = List.copyOf(modules);
        includes = List.copyOf(includes);
        fsck = List.copyOf(fsck);
    }

    public static BuildConfig defaults() {
        return new BuildConfig(KernelModules.DEFAULT, Optional.empty(), Compression.parse("none"), Rescue.NONE, List.of(), true,
                Path.of(System.getProperty("java.home")), Path.of("/lib/modules"), Path.of("/lib/firmware"), List.of("e2fsck"), false);
    }

    /** The defaults overridden by {@code file}, which must exist. */
    public static BuildConfig load(Path file) throws IOException {
        if (Files.isDirectory(file)) {
            throw new FileSystemException(file.toString(), null, "Is a directory");
        }
        String text = utf8(Files.readAllBytes(file), file);
        BuildConfig config = defaults();
        for (Map.Entry<String, ShellAssignments.Value> entry : ShellAssignments.parse(text, file.toString()).entrySet()) {
            ShellAssignments.Value value = entry.getValue();
            String origin = file + ":" + value.line();
            try {
                config = config.with(entry.getKey(), value.array() ? value.words() : words(value.words().getFirst()), origin);
            } catch (IOException e) {
                throw new IOException(origin + ": " + e.getMessage(), e);
            }
        }
        return config;
    }

    /** As {@link #load}, but a missing file means the defaults: for {@value #DEFAULT_PATH}, which nobody has to write. */
    public static BuildConfig loadIfPresent(Path file) throws IOException {
        try {
            return load(file);
        } catch (NoSuchFileException e) {
            return defaults();
        }
    }

    /** The file's text; bytes that are not UTF-8 are an error naming their line, not a garbled value. */
    private static String utf8(byte[] bytes, Path file) throws IOException {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder();
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer text = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(in, text, true);
        if (result.isError()) {
            int line = 1;
            for (int i = 0; i < in.position(); i++) {
                if (bytes[i] == '\n') line++;
            }
            throw new IOException(file + ":" + line + ": not UTF-8 text");
        }
        decoder.flush(text);
        return text.flip().toString();
    }

    /** This configuration with {@code key} set from a command-line style value (list keys split on blanks). */
    public BuildConfig with(String key, String value) throws IOException {
        return with(key, words(value), "the configuration");
    }

    /** This configuration holding {@code modules} (names, aliases, groups) instead of its own. */
    public BuildConfig withModules(List<String> modules) {
        return new BuildConfig(modules, kernelVersion, compress, rescue, includes, microcode, jdk, modulesDir, firmwareDir, fsck, hostonly);
    }

    public BuildConfig withCompress(Compression.Setting compress) {
        return new BuildConfig(modules, kernelVersion, compress, rescue, includes, microcode, jdk, modulesDir, firmwareDir, fsck, hostonly);
    }

    public BuildConfig withRescue(Rescue rescue) {
        return new BuildConfig(modules, kernelVersion, compress, rescue, includes, microcode, jdk, modulesDir, firmwareDir, fsck, hostonly);
    }

    /** This configuration with {@code includes} instead of its own. */
    public BuildConfig withIncludes(List<Include> includes) {
        return new BuildConfig(modules, kernelVersion, compress, rescue, includes, microcode, jdk, modulesDir, firmwareDir, fsck, hostonly);
    }

    public BuildConfig withMicrocode(boolean microcode) {
        return new BuildConfig(modules, kernelVersion, compress, rescue, includes, microcode, jdk, modulesDir, firmwareDir, fsck, hostonly);
    }

    public BuildConfig withHostonly(boolean hostonly) {
        return new BuildConfig(modules, kernelVersion, compress, rescue, includes, microcode, jdk, modulesDir, firmwareDir, fsck, hostonly);
    }

    /**
     * This configuration for kernel {@code version} ("" for the default choice); {@code reason} says
     * where the version came from (e.g. "--kernel-version on the command line") for the build log.
     */
    public BuildConfig withKernelVersion(String version, String reason) {
        return new BuildConfig(modules, version.isEmpty() ? Optional.empty() : Optional.of(new KernelVersion(version, reason)),
                compress, rescue, includes, microcode, jdk, modulesDir, firmwareDir, fsck, hostonly);
    }

    /** {@code origin} is where the value was written (FILE:LINE), for the log line naming the kernel. */
    private BuildConfig with(String key, List<String> words, String origin) throws IOException {
        String single = String.join(" ", words);
        return switch (key) {
            case "MODULES" -> withModules(words);
            case "KERNEL_VERSION" -> withKernelVersion(single, "KERNEL_VERSION in " + origin);
            case "COMPRESS" -> {
                String algorithm = single.split(":", 2)[0];
                if (!COMPRESSIONS.contains(algorithm)) oneOf(key, single, COMPRESSIONS);   // says which are known
                yield withCompress(parsed(key, single, Compression::parse));
            }
            case "RESCUE" -> withRescue(parsed(key, single, Rescue::parse));
            case "INCLUDE" -> {
                List<Include> parsed = new ArrayList<>();
                for (String word : words) {
                    parsed.add(Include.parse(word));
                }
                yield withIncludes(parsed);
            }
            case "MICROCODE" -> withMicrocode(oneOf(key, single, List.of("yes", "no")).equals("yes"));
            case "JDK" -> new BuildConfig(modules, kernelVersion, compress, rescue, includes, microcode, path(key, single),
                    modulesDir, firmwareDir, fsck, hostonly);
            case "MODULES_DIR" -> new BuildConfig(modules, kernelVersion, compress, rescue, includes, microcode, jdk,
                    path(key, single), firmwareDir, fsck, hostonly);
            case "FIRMWARE_DIR" -> new BuildConfig(modules, kernelVersion, compress, rescue, includes, microcode, jdk, modulesDir,
                    path(key, single), fsck, hostonly);
            case "FSCK" -> new BuildConfig(modules, kernelVersion, compress, rescue, includes, microcode, jdk, modulesDir, firmwareDir,
                    words, hostonly);
            case "HOSTONLY" -> withHostonly(oneOf(key, single, List.of("yes", "no")).equals("yes"));
            default -> throw new IOException("unknown key " + key + " (known: MODULES KERNEL_VERSION COMPRESS RESCUE INCLUDE"
                    + " MICROCODE JDK MODULES_DIR FIRMWARE_DIR FSCK HOSTONLY)");
        };
    }

    private static List<String> words(String value) {
        return Arrays.stream(value.strip().split("\\s+")).filter(w -> !w.isEmpty()).toList();
    }

    /** {@code value} through {@code parser}, its complaint (an IllegalArgumentException) prefixed with KEY=value. */
    private static <T> T parsed(String key, String value, java.util.function.Function<String, T> parser) throws IOException {
        try {
            return parser.apply(value);
        } catch (IllegalArgumentException e) {
            throw new IOException(key + "=" + value + ": " + e.getMessage());
        }
    }

    private static String oneOf(String key, String value, List<String> allowed) throws IOException {
        if (!allowed.contains(value)) {
            throw new IOException(key + "=" + value + ": expected one of " + String.join(", ", allowed));
        }
        return value;
    }

    private static Path path(String key, String value) throws IOException {
        if (!value.startsWith("/")) {
            throw new IOException(key + "=" + value + ": expected an absolute path");
        }
        return Path.of(value);
    }
}
