package liftoff.init.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The probers against superblocks real tools wrote, and against damaged copies of them. */
class SamplesTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"ext2", "ext3", "ext4", "xfs", "btrfs", "fat16", "fat32", "squashfs", "erofs",
                            "swap", "swap-be", "luks1", "luks2", "gpt", "dos"})
    void readsWhatBlkidReads(String sample) throws IOException {
        Path image = Samples.unpack(sample, dir);
        assertEquals(Samples.expectedTags(sample), Samples.actualTags(image));
    }

    /**
     * Cut one byte short of what the prober must read, each sample is unknown; cut at exactly that
     * length it is still recognised. The lengths are where each format keeps its superblock.
     */
    @ParameterizedTest
    @CsvSource({"ext2, 2048", "ext4, 2048", "xfs, 512", "btrfs, 69632", "fat16, 512", "fat32, 1024",
                "squashfs, 96", "erofs, 4096", "swap, 4096", "swap-be, 8192", "luks2, 512", "gpt, 17408", "dos, 512"})
    void truncatedSuperblockIsUnknown(String sample, int needed) throws IOException {
        Path image = Samples.unpack(sample, dir);
        truncate(image, needed);
        assertNotNull(identify(sample, image), sample + " cut at " + needed);
        truncate(image, needed - 1);
        assertNull(identify(sample, image), sample + " cut at " + (needed - 1));
        truncate(image, 0);
        assertNull(identify(sample, image), sample + " empty");
    }

    /**
     * fat16's byte 11 is the sector size, which blkid checks in place of a magic. (What remains is
     * a boot sector with an empty dos partition table, and blkid then says PTTYPE="dos" too.)
     */
    @ParameterizedTest
    @CsvSource({"ext4, 1080", "xfs, 0", "btrfs, 65600", "fat16, 11", "squashfs, 0", "erofs, 1024",
                "swap, 4086", "swap-be, 8182", "luks1, 0", "luks2, 0", "gpt, 512", "dos, 510"})
    void flippedMagicIsUnknown(String sample, int magic) throws IOException {
        Path image = Samples.unpack(sample, dir);
        flip(image, magic);
        assertNull(identify(sample, image), sample + " with byte " + magic + " flipped");
    }

    /**
     * Where a checksum covers the superblock (blkid checks xfs, btrfs and GPT; the kernel also ext4
     * and erofs), one changed byte makes it unknown.
     */
    @ParameterizedTest
    @CsvSource({"ext4, 1144", "xfs, 108", "btrfs, 65835", "erofs, 1072", "gpt, 1080", "gpt, 600"})
    void checksumMismatchIsUnknown(String sample, int offset) throws IOException {
        Path image = Samples.unpack(sample, dir);
        flip(image, offset);
        assertNull(identify(sample, image), sample + " with byte " + offset + " changed");
    }

    @Test
    void withoutMetadataChecksumAChangedLabelIsJustADifferentLabel() throws IOException {
        Path image = Samples.unpack("ext2", dir);
        write(image, 1024 + 0x78, 'B');  // first byte of "boot"
        Filesystem fs = Probe.filesystem(image);
        assertEquals("ext2", fs.type());
        assertEquals("Boot", fs.label());
    }

    /**
     * blkid reads a swap header's LABEL and UUID only while the header's padding words 32 and 33
     * (bytes 1196 to 1203) are zero, its guard against garbage; the swap itself is still found.
     */
    @ParameterizedTest
    @ValueSource(ints = {1196, 1203})
    void swapHeaderWithGarbageInItsPaddingHasNoLabelOrUuid(int offset) throws IOException {
        Path image = Samples.unpack("swap", dir);
        write(image, offset, 1);
        assertEquals(List.of(Map.entry("TYPE", "swap")), Samples.actualTags(image));
    }

    /**
     * Every byte of each header overwritten in turn with 0xff and then with 0x00: the probers may
     * answer anything but must never throw, since a damaged disk must not stop the boot.
     */
    @ParameterizedTest
    @CsvSource({"ext4, 1024, 1024", "xfs, 0, 512", "btrfs, 65536, 1024", "fat16, 0, 512", "fat32, 0, 1024",
                "squashfs, 0, 96", "erofs, 1024, 128", "swap, 1024, 64",
                "swap-be, 1024, 64", "luks2, 0, 512",
                "gpt, 0, 1024", "dos, 0, 512"})
    void damagedHeadersNeverThrow(String sample, int from, int length) throws IOException {
        Path image = Samples.unpack(sample, dir);
        try (RandomAccessFile file = new RandomAccessFile(image.toFile(), "rw")) {
            for (long at = from; at < from + length; at++) {
                file.seek(at);
                int original = file.read();
                for (int value : new int[] {0xff, 0x00}) {
                    file.seek(at);
                    file.write(value);
                    Samples.actualTags(image);
                }
                file.seek(at);
                file.write(original);
            }
        }
    }

    /**
     * A header whose CRC is right but whose fields are absurd (a corrupting tool, a crafted disk):
     * 2^32-1 entries, or an entry array far past the end of the disk. Unknown, not an exception.
     * (The first row rewrites the entry count unchanged: the re-signed header itself is fine.)
     */
    @ParameterizedTest
    @CsvSource({"80, 128, true", "80, -1, false", "84, -1, false", "72, 2147483647, false"})
    void gptHeaderWithAbsurdFieldsIsUnknown(int field, int value, boolean valid) throws IOException {
        Path image = Samples.unpack("gpt", dir);
        try (RandomAccessFile file = new RandomAccessFile(image.toFile(), "rw")) {
            byte[] header = new byte[92];
            file.seek(512);
            file.readFully(header);
            ByteBuffer b = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
            b.putInt(field, value);
            b.putInt(16, 0);
            CRC32 crc = new CRC32();
            crc.update(header);
            b.putInt(16, (int) crc.getValue());
            file.seek(512);
            file.write(header);
        }
        assertEquals(valid, Probe.partitionTable(image) != null);
    }

    /**
     * The LUKS2 sample's header turned into the secondary copy cryptsetup writes at 16 KiB ("SKUL"
     * magic, its own offset in hdr_offset): found when alone, ignored under another filesystem.
     */
    @Test
    void secondaryLuksHeaderIsALastResort() throws IOException {
        Path luks = Samples.unpack("luks2", dir);
        byte[] secondary = Files.readAllBytes(luks);
        ByteBuffer b = ByteBuffer.wrap(secondary);
        b.put(0, "SKUL".getBytes(StandardCharsets.US_ASCII));
        b.putLong(256, 0x4000);  // big-endian, as LUKS2 stores it
        try (RandomAccessFile file = new RandomAccessFile(luks.toFile(), "rw")) {
            file.write(new byte[4096]);  // wipe the primary
            file.seek(0x4000);
            file.write(secondary);
        }
        assertEquals("9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b62", Probe.filesystem(luks).uuid());
        assertEquals("cryptroot", Probe.filesystem(luks).label());

        byte[] ext4 = Files.readAllBytes(Samples.unpack("ext4", dir));
        try (RandomAccessFile file = new RandomAccessFile(luks.toFile(), "rw")) {
            file.write(ext4);
        }
        assertEquals("ext4", Probe.filesystem(luks).type());
    }

    @Test
    void gptPartitions() throws IOException {
        PartitionTable table = Probe.partitionTable(Samples.unpack("gpt", dir));
        assertEquals(List.of(
                new Partition(1, 2048 * 512L, 2048 * 512L, "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d", "EFI",
                        "c12a7328-f81f-11d2-ba4b-00a0c93ec93b"),
                new Partition(2, 4096 * 512L, 4063 * 512L, "2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e", "root ü",
                        "0fc63daf-8483-4772-8e79-3d69d8477de4")),
                table.partitions());
    }

    /** Values as make-samples.sh gave them to sfdisk; 5 and 6 are logical, inside extended 2. */
    @Test
    void dosPartitionsIncludeLogicalOnes() throws IOException {
        PartitionTable table = Probe.partitionTable(Samples.unpack("dos", dir));
        assertEquals(List.of(
                new Partition(1, 512L, 2048 * 512L, "1234abcd-01", null, "83"),
                new Partition(2, 2049 * 512L, 6143 * 512L, "1234abcd-02", null, "05"),
                new Partition(5, 2050 * 512L, 2048 * 512L, "1234abcd-05", null, "82"),
                new Partition(6, 4099 * 512L, 4093 * 512L, "1234abcd-06", null, "83")),
                table.partitions());
    }

    /** A FAT boot sector ends in 0x55AA like an MBR; it must not be read as a dos table. */
    @Test
    void fatBootSectorIsNotAPartitionTable() throws IOException {
        assertNull(Probe.partitionTable(Samples.unpack("fat32", dir)));
    }

    /** The partition table of the disk samples, the filesystem of the others. */
    private static Object identify(String sample, Path image) throws IOException {
        boolean disk = sample.equals("gpt") || sample.equals("dos");
        return disk ? Probe.partitionTable(image) : Probe.filesystem(image);
    }

    private static void truncate(Path image, long length) throws IOException {
        try (RandomAccessFile file = new RandomAccessFile(image.toFile(), "rw")) {
            file.setLength(length);
        }
    }

    private static void flip(Path image, long offset) throws IOException {
        try (RandomAccessFile file = new RandomAccessFile(image.toFile(), "rw")) {
            file.seek(offset);
            int b = file.read();
            file.seek(offset);
            file.write(b ^ 0xff);
        }
    }

    private static void write(Path image, long offset, int value) throws IOException {
        try (RandomAccessFile file = new RandomAccessFile(image.toFile(), "rw")) {
            file.seek(offset);
            file.write(value);
        }
    }
}
