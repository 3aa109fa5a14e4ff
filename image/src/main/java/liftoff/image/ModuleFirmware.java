package liftoff.image;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The firmware a kernel module asks for ({@code firmware=} entries of its .modinfo section, what
 * MODULE_FIRMWARE() records) and where the kernel's firmware loader would find each file.
 */
public final class ModuleFirmware {
    /** Compression suffixes the kernel's firmware loader tries after the plain name (xz since 5.3, zstd since 5.19). */
    private static final List<String> FIRMWARE_SUFFIXES = List.of("", ".zst", ".xz");

    private ModuleFirmware() {}

    /** The firmware names {@code module} declares, in .modinfo order. */
    public static List<String> declared(Path module) throws IOException {
        String suffix = module.getFileName().toString().replaceFirst(".*\\.ko", "");
        Elf elf = suffix.isEmpty() ? Elf.read(module) : Elf.parse(ModuleCompression.decompress(module, suffix), module.toString());
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
}
