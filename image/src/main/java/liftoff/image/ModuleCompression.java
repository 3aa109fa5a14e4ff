package liftoff.image;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Compressed kernel modules (.ko.xz, .ko.zst, .ko.gz): reading them, and whether the kernel can
 * load them as they are. A kernel built with CONFIG_MODULE_DECOMPRESS (Linux 6.4+) decompresses a
 * module itself when finit_module is given MODULE_INIT_COMPRESSED_FILE, which the init does for a
 * compressed file; any other kernel gets its modules decompressed into the image, since the init
 * (java.base only) has no xz or zstd of its own.
 */
final class ModuleCompression {
    /** Decompressors, run as external programs (as kmod links their libraries). */
    private static final Map<String, List<String>> DECOMPRESSORS = Map.of(
            ".xz", List.of("xz", "-dc"),
            ".zst", List.of("zstd", "-dc"),
            ".gz", List.of("gzip", "-dc"));

    /** No module is anywhere near this; a larger output is a decompression bomb, not a module. */
    private static final int MAX_MODULE_BYTES = 256 << 20;

    private ModuleCompression() {}

    /** "kernel/fs/xfs/xfs.ko.zst" → "kernel/fs/xfs/xfs.ko": where a module decompressed into the image lives. */
    static String withoutCompression(String path) {
        int ko = path.lastIndexOf(".ko");
        return ko < 0 ? path : path.substring(0, ko + 3);
    }

    /**
     * Whether kernel {@code kernelVersion} decompresses modules itself: its config says
     * CONFIG_MODULE_DECOMPRESS=y. The config is looked for beside its modules (Fedora, openSUSE:
     * MODULES_DIR/KVER/config) and in /boot (Debian, Ubuntu); without one, no.
     */
    static boolean kernelDecompresses(Path modulesDir, String kernelVersion) throws IOException {
        Optional<Path> config = kernelConfig(modulesDir, kernelVersion);
        if (config.isEmpty()) return false;
        try (var lines = Files.lines(config.get(), StandardCharsets.ISO_8859_1)) {   // any bytes: only ASCII lines matter
            return lines.anyMatch(line -> line.strip().equals("CONFIG_MODULE_DECOMPRESS=y"));
        }
    }

    private static Optional<Path> kernelConfig(Path modulesDir, String kernelVersion) {
        for (Path candidate : List.of(modulesDir.resolve(kernelVersion).resolve("config"), Path.of("/boot/config-" + kernelVersion))) {
            if (Files.isRegularFile(candidate)) return Optional.of(candidate);
        }
        return Optional.empty();
    }

    /** The module's bytes, decompressed by the tool for {@code suffix} (".xz", ".zst", ".gz"). */
    static byte[] decompress(Path module, String suffix) throws IOException {
        List<String> command = DECOMPRESSORS.get(suffix);
        if (command == null) {
            throw new IOException(module + ": unknown module compression '" + suffix + "'");
        }
        List<String> full = new ArrayList<>(command);
        full.add(module.toString());
        Process process;
        try {
            process = new ProcessBuilder(full).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw new IOException(module + ": cannot run " + command.getFirst() + " to decompress it", e);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream in = process.getInputStream()) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                if (out.size() + n > MAX_MODULE_BYTES) {
                    process.destroy();
                    throw new IOException(module + ": decompresses to more than " + MAX_MODULE_BYTES + " bytes");
                }
                out.write(buffer, 0, n);
            }
        }
        try {
            if (process.waitFor() != 0) {
                throw new IOException(module + ": " + String.join(" ", command) + " failed (exit " + process.exitValue() + ")");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(module + ": interrupted while decompressing", e);
        }
        return out.toByteArray();
    }
}
