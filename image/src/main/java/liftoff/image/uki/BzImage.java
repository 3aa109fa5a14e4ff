package liftoff.image.uki;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * The release an x86 kernel image says it is, from its setup header (the kernel's
 * Documentation/arch/x86/boot.rst): "HdrS" at 0x202, and at 0x20e the offset (less 0x200) of a
 * NUL-terminated string that starts with the release, e.g. "6.1.0-57-cloud-amd64 (debian-kernel@...)
 * #1 SMP ...". ukify reads {@code .uname} the same way when it is not told.
 */
public final class BzImage {
    private static final int SETUP_HEADER_MAGIC = 0x53726448;   // "HdrS"
    private static final int MAX_VERSION = 256;

    private BzImage() {}

    /** The release, or empty when the file is not an x86 boot image with a version string. */
    public static Optional<String> release(Path kernel) throws IOException {
        try (FileChannel file = FileChannel.open(kernel, StandardOpenOption.READ)) {
            if (file.size() < 0x210) return Optional.empty();
            ByteBuffer header = Regions.read(file, 0x200, 0x10, "the setup header");
            int version = Short.toUnsignedInt(header.getShort(0x06));
            int versionOffset = Short.toUnsignedInt(header.getShort(0x0e));
            if (header.getInt(0x02) != SETUP_HEADER_MAGIC || version < 0x200 || versionOffset == 0
                    || 0x200L + versionOffset + 1 > file.size()) {
                return Optional.empty();
            }
            int length = (int) Math.min(MAX_VERSION, file.size() - 0x200 - versionOffset);
            byte[] text = Regions.read(file, 0x200L + versionOffset, length, "the version string").array();
            int end = 0;
            while (end < text.length && text[end] != 0 && text[end] != ' ') end++;
            return end == 0 ? Optional.empty() : Optional.of(new String(text, 0, end, StandardCharsets.US_ASCII));
        }
    }
}
