package liftoff.init.probe;

import static java.util.Map.entry;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * FAT labels as util-linux blkid 2.38 reads them, on the fat16 and fat32 samples with the label
 * bytes changed: the expected tags are what blkid printed for the same changes. Values are compared
 * as their bytes, one char per byte (ISO-8859-1), since FAT labels are code-page bytes.
 */
class VfatLabelTest {

    /** Where the samples keep the label: the boot sector's copy and the root directory's entry. */
    private static final int FAT16_BOOT_LABEL = 0x2B;
    private static final int FAT16_ROOT_ENTRY = 43008;
    private static final int FAT32_BOOT_LABEL = 0x47;
    private static final int FAT32_ROOT_ENTRY = 661504;

    @TempDir
    Path dir;

    /** Only the boot sector's "NO NAME" means "no label"; in the root directory it is the label. */
    @Test
    void noNameInTheRootDirectoryIsTheLabel() throws IOException {
        Path fat16 = sample("fat16", FAT16_ROOT_ENTRY, "NO NAME    ");
        assertEquals(fat16("EFI", "NO NAME"), tags(fat16));
        Path fat32 = sample("fat32", FAT32_ROOT_ENTRY, "NO NAME    ");
        assertEquals(fat32("ESP 32", "NO NAME"), tags(fat32));
    }

    @Test
    void noNameInTheBootSectorIsNoLabel() throws IOException {
        Path fat16 = sample("fat16", FAT16_BOOT_LABEL, "NO NAME    ");
        assertEquals(fat16(null, "EFI"), tags(fat16));
        Path fat32 = sample("fat32", FAT32_BOOT_LABEL, "NO NAME    ");
        assertEquals(fat32(null, "ESP 32"), tags(fat32));
    }

    /**
     * A directory entry cannot start with 0xE5 (that marks it deleted), so FAT stores such a first
     * byte as 0x05; the boot sector's copy has no such rule and is read as it is.
     */
    @Test
    void firstByte05OfTheRootEntryIsE5() throws IOException {
        Path fat16 = sample("fat16", FAT16_ROOT_ENTRY, "\u0005FI");
        assertEquals(fat16("EFI", "\u00e5FI"), tags(fat16));
        Path fat32 = sample("fat32", FAT32_ROOT_ENTRY, "\u0005SP 32");
        assertEquals(fat32("ESP 32", "\u00e5SP 32"), tags(fat32));
        Path boot = sample("fat16", FAT16_BOOT_LABEL, "\u0005FI");
        assertEquals(fat16("\u0005FI", "EFI"), tags(boot));
    }

    /** Code-page bytes that are not UTF-8 (0x90 is É in code page 850) are kept as they are. */
    @Test
    void codePageBytesAreKept() throws IOException {
        Path fat16 = sample("fat16", FAT16_ROOT_ENTRY, "CAF\u0090 \u00e9t\u00e9");
        write(fat16, FAT16_BOOT_LABEL, "\u00ff\u00fe");
        assertEquals(fat16("\u00ff\u00feI", "CAF\u0090 \u00e9t\u00e9"), tags(fat16));
        Path fat32 = sample("fat32", FAT32_ROOT_ENTRY, "\u00e9t\u00e9");
        write(fat32, FAT32_BOOT_LABEL, "\u0090");
        assertEquals(fat32("\u0090SP 32", "\u00e9t\u00e9 32"), tags(fat32));
    }

    /** Trailing whitespace as C's isspace has it (space, \t, \n, \v, \f, \r) goes from both labels. */
    @Test
    void trailingWhitespaceIsWhatCCallsSpace() throws IOException {
        Path fat16 = sample("fat16", FAT16_ROOT_ENTRY, "AB\u000b\u000c\t\r\n    ");
        write(fat16, FAT16_BOOT_LABEL, "BOOT\u000b\u000c");
        assertEquals(fat16("BOOT", "AB"), tags(fat16));
    }

    /** Leading whitespace goes from LABEL_FATBOOT only, which blkid sets as an extra label, not the LABEL. */
    @Test
    void leadingWhitespaceGoesFromTheBootSectorLabelOnly() throws IOException {
        Path fat16 = sample("fat16", FAT16_ROOT_ENTRY, "  AB");
        write(fat16, FAT16_BOOT_LABEL, " \u000b\u000cBOOT");
        assertEquals(fat16("BOOT", "  AB"), tags(fat16));
    }

    /**
     * LABEL_FATBOOT and the serial are in the boot sector's extended BPB, whose signature says what
     * it holds: 0x29 both, 0x28 only the serial, anything else neither. FAT32's serial is read
     * whatever the signature says.
     */
    @Test
    void theExtendedBootSignatureSaysWhatTheBootSectorHolds() throws IOException {
        List<Map.Entry<String, String>> serialOnly = List.of(entry("SEC_TYPE", "msdos"), entry("LABEL", "EFI"),
                entry("UUID", "1234-ABCD"), entry("BLOCK_SIZE", "512"), entry("TYPE", "vfat"));
        assertEquals(serialOnly, tags(sample("fat16", 0x26, "\u0028")));
        List<Map.Entry<String, String>> neither = List.of(entry("SEC_TYPE", "msdos"), entry("LABEL", "EFI"),
                entry("BLOCK_SIZE", "512"), entry("TYPE", "vfat"));
        assertEquals(neither, tags(sample("fat16", 0x26, "\u0000")));
        assertEquals(fat32(null, "ESP 32"), tags(sample("fat32", 0x42, "\u0000")));
    }

    /** Sample {@code name} with {@code bytes} (one char per byte) written at {@code offset}. */
    private Path sample(String name, long offset, String bytes) throws IOException {
        Path image = Samples.unpack(name, Files.createTempDirectory(dir, name));
        write(image, offset, bytes);
        return image;
    }

    private static void write(Path image, long offset, String bytes) throws IOException {
        try (RandomAccessFile file = new RandomAccessFile(image.toFile(), "rw")) {
            file.seek(offset);
            file.write(bytes.getBytes(StandardCharsets.ISO_8859_1));
        }
    }

    /** The probed tags, each value as its bytes, one char per byte. */
    private static List<Map.Entry<String, String>> tags(Path image) throws IOException {
        List<Map.Entry<String, String>> tags = new ArrayList<>();
        for (Map.Entry<String, String> tag : Samples.actualTags(image)) {
            tags.add(entry(tag.getKey(), new String(TagText.bytes(tag.getValue()), StandardCharsets.ISO_8859_1)));
        }
        return tags;
    }

    /** The fat16 sample's tags with these labels (null: none). */
    private static List<Map.Entry<String, String>> fat16(String bootLabel, String label) {
        return fat("msdos", bootLabel, label, "1234-ABCD");
    }

    private static List<Map.Entry<String, String>> fat32(String bootLabel, String label) {
        return fat(null, bootLabel, label, "0BAD-CAFE");
    }

    private static List<Map.Entry<String, String>> fat(String secType, String bootLabel, String label, String uuid) {
        List<Map.Entry<String, String>> tags = new ArrayList<>();
        if (secType != null) {
            tags.add(entry("SEC_TYPE", secType));
        }
        if (bootLabel != null) {
            tags.add(entry("LABEL_FATBOOT", bootLabel));
        }
        tags.add(entry("LABEL", label));
        tags.add(entry("UUID", uuid));
        tags.add(entry("BLOCK_SIZE", "512"));
        tags.add(entry("TYPE", "vfat"));
        return tags;
    }
}
