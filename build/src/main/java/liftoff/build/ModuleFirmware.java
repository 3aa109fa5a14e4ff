package liftoff.build;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The firmware a kernel module asks for ({@code firmware=} entries of its .modinfo section, what
 * MODULE_FIRMWARE() records) and where the kernel's firmware loader would find each file.
 */
public final class ModuleFirmware {
    /** Decompressors for .ko.xz / .ko.zst / .ko.gz, run as external programs (as kmod links their libraries). */
    private static final Map<String, List<String>> DECOMPRESSORS = Map.of(
            ".xz", List.of("xz", "-dc"),
            ".zst", List.of("zstd", "-dc"),
            ".gz", List.of("gzip", "-dc"));

    /** No module is anywhere near this; a larger output is a decompression bomb, not a module. */
    private static final int MAX_MODULE_BYTES = 256 << 20;

    /** Compression suffixes the kernel's firmware loader tries after the plain name (xz since 5.3, zstd since 5.19). */
    private static final List<String> FIRMWARE_SUFFIXES = List.of("", ".zst", ".xz");

    private ModuleFirmware() {}

    /** The firmware names {@code module} declares, in .modinfo order. */
    public static List<String> declared(Path module) throws IOException {
        String suffix = module.getFileName().toString().replaceFirst(".*\\.ko", "");
        Elf elf = suffix.isEmpty() ? Elf.read(module) : Elf.parse(decompress(module, suffix), module.toString());
        ByteBuffer modinfo = elf.section(".modinfo").orElse(ByteBuffer.allocate(0));
        List<String> firmware = new ArrayList<>();
        for (String entry : StandardCharsets.UTF_8.decode(modinfo).toString().split("\0")) {
            if (entry.startsWith("firmware=")) {
                firmware.add(entry.substring("firmware=".length()));
            }
        }
        return firmware;
    }

    /**
     * Where the firmware loader finds {@code name}: in its search order (updates/KVER, updates, KVER,
     * the base directory), each with the compressed variants; empty when it is nowhere.
     */
    public static Optional<Path> locate(String name, Path firmwareDir, String kernelVersion) {
        for (Path dir : List.of(firmwareDir.resolve("updates").resolve(kernelVersion), firmwareDir.resolve("updates"),
                firmwareDir.resolve(kernelVersion), firmwareDir)) {
            for (String suffix : FIRMWARE_SUFFIXES) {
                Path candidate = dir.resolve(name + suffix);
                if (candidate.normalize().startsWith(firmwareDir) && Files.isRegularFile(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    private static byte[] decompress(Path module, String suffix) throws IOException {
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
            throw new IOException(module + ": cannot run " + command.getFirst() + " to read its .modinfo", e);
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
