package liftoff.init.probe;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

/**
 * The GUID partition table. Like blkid it wants a protective MBR, a header whose CRC32 matches
 * and an entry array whose CRC32 matches. The header sits in LBA 1, whose size is the logical
 * sector size (512 for image files, sometimes 4096 for disks); when it is damaged, the backup
 * copy in the last LBA is used instead, as blkid and the kernel do.
 */
final class Gpt {

    private static final int[] SECTOR_SIZES = {512, 4096};
    private static final int PROTECTIVE_TYPE = 0xEE;
    /** Sanity bound on the entry array: 128 entries of 128 bytes is the norm, this is 16x that. */
    private static final long MAX_ARRAY_BYTES = 256 * 1024;

    private Gpt() {
    }

    static PartitionTable probe(DeviceReader device) throws IOException {
        ByteBuffer mbr = device.read(0, 512);
        if (mbr == null || !Mbr.hasBootSignature(mbr) || !hasProtectiveEntry(mbr)) {
            return null;
        }
        for (int sectorSize : SECTOR_SIZES) {
            PartitionTable table = read(device, 1, sectorSize);
            if (table == null) {
                table = read(device, device.size() / sectorSize - 1, sectorSize);
            }
            if (table != null) {
                return table;
            }
        }
        return null;
    }

    private static boolean hasProtectiveEntry(ByteBuffer mbr) {
        for (int i = 0; i < 4; i++) {
            if ((mbr.get(Mbr.ENTRIES + i * 16 + 4) & 0xff) == PROTECTIVE_TYPE) {
                return true;
            }
        }
        return false;
    }

    /** The table described by the header in sector {@code lba}, or null when that header is bad. */
    private static PartitionTable read(DeviceReader device, long lba, int sectorSize) throws IOException {
        ByteBuffer header = device.read(lba * sectorSize, 92);
        if (header == null || !Fields.hasMagic(header, 0, "EFI PART")) {
            return null;
        }
        int headerSize = header.getInt(12);
        if (headerSize < 92 || headerSize > sectorSize) {
            return null;
        }
        header = device.read(lba * sectorSize, headerSize);
        if (header == null) {
            return null;
        }
        int storedCrc = header.getInt(16);
        header.putInt(16, 0);
        // MyLBA must name the sector the header was read from: a copy found elsewhere is stale.
        if (crc32(header.array(), headerSize) != storedCrc || header.getLong(24) != lba) {
            return null;
        }
        long arrayLba = header.getLong(72);
        long count = header.getInt(80) & 0xffffffffL;
        long entrySize = header.getInt(84) & 0xffffffffL;
        if (entrySize < 128 || entrySize > MAX_ARRAY_BYTES || count > MAX_ARRAY_BYTES / entrySize) {
            return null;
        }
        ByteBuffer array = device.read(arrayLba * sectorSize, (int) (count * entrySize));
        if (array == null || crc32(array.array(), array.capacity()) != header.getInt(88)) {
            return null;
        }
        List<Partition> partitions = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int entry = (int) (i * entrySize);
            String type = Fields.guid(array, entry);
            if (type == null) {
                continue;  // unused slot; the number still counts, as in the kernel
            }
            long first = array.getLong(entry + 32);
            long last = array.getLong(entry + 40);
            partitions.add(new Partition(i + 1, first * sectorSize, (last - first + 1) * sectorSize,
                    Fields.guid(array, entry + 16), name(array, entry + 56), type));
        }
        return new PartitionTable("gpt", Fields.guid(header, 56), partitions);
    }

    /** The partition name: up to 36 UTF-16LE code units, NUL-terminated. */
    private static String name(ByteBuffer array, int offset) {
        int units = 0;
        while (units < 36 && array.getShort(offset + units * 2) != 0) {
            units++;
        }
        return units == 0 ? null
                : new String(array.array(), offset, units * 2, StandardCharsets.UTF_16LE);
    }

    private static int crc32(byte[] bytes, int length) {
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, length);
        return (int) crc.getValue();
    }
}
