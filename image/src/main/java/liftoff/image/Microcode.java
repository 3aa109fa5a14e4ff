package liftoff.image;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The early microcode segment: an uncompressed cpio that must come first in the initramfs, holding
 * kernel/x86/microcode/GenuineIntel.bin and AuthenticAMD.bin, which the kernel reads before it unpacks
 * anything else. Each file is all of a vendor's blobs concatenated in name order — what
 * {@code iucode_tool --write-earlyfw} and dracut/mkinitcpio produce; the kernel picks the blob that
 * matches the CPU. Hosts without intel-ucode/amd-ucode firmware get no segment.
 */
public final class Microcode {
    /** A vendor: the file name in the segment, the firmware subdirectory and its blob names. */
    private record Vendor(String file, String dir, Pattern blob) {}

    private static final List<Vendor> VENDORS = List.of(
            new Vendor("GenuineIntel.bin", "intel-ucode", Pattern.compile("\\p{XDigit}{2}-\\p{XDigit}{2}-\\p{XDigit}{2}")),
            new Vendor("AuthenticAMD.bin", "amd-ucode", Pattern.compile("microcode_amd.*\\.bin")));

    public static final String SEGMENT_DIR = "/kernel/x86/microcode";

    private Microcode() {}

    /**
     * Concatenates the blobs under {@code firmwareDir} into {@code stagingDir}/kernel/x86/microcode and
     * returns the segment's entries, none when the host has no microcode.
     */
    public static List<ImageEntry> stage(Path firmwareDir, Path stagingDir) throws IOException {
        ImageTree segment = new ImageTree();
        boolean any = false;
        for (Vendor vendor : VENDORS) {
            List<Path> blobs = blobs(firmwareDir.resolve(vendor.dir), vendor.blob);
            if (blobs.isEmpty()) {
                continue;
            }
            Path out = stagingDir.resolve(SEGMENT_DIR.substring(1)).resolve(vendor.file);
            Files.createDirectories(out.getParent());
            try (OutputStream stream = Files.newOutputStream(out)) {
                for (Path blob : blobs) {
                    Files.copy(blob, stream);
                }
            }
            segment.file(SEGMENT_DIR + "/" + vendor.file, out, 0644, Part.FIRMWARE);
            any = true;
        }
        return any ? segment.entries() : List.of();
    }

    private static List<Path> blobs(Path dir, Pattern name) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> name.matcher(f.getFileName().toString()).matches() && Files.isRegularFile(f))
                    .sorted()
                    .toList();
        }
    }
}
