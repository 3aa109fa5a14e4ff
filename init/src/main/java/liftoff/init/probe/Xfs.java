package liftoff.init.probe;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * XFS: a big-endian superblock in sector 0. blkid sanity-checks the geometry and, on v5
 * filesystems, the superblock crc32c; BLOCK_SIZE is the sector size, not the fs block size.
 */
final class Xfs implements FilesystemFormat {

    private static final int VERSION_5 = 5;
    private static final int CRC_OFFSET = 0xE0;

    @Override
    public Filesystem probe(DeviceReader device) throws IOException {
        ByteBuffer sb = device.read(0, 512);
        if (sb == null || !Fields.hasMagic(sb, 0, "XFSB")) {
            return null;
        }
        sb.order(ByteOrder.BIG_ENDIAN);
        int sectorSize = sb.getShort(0x66) & 0xffff;
        if (!saneGeometry(sb, sectorSize)) {
            return null;
        }
        if ((sb.getShort(0x64) & 0xf) == VERSION_5 && !checksumMatches(device, sectorSize)) {
            return null;
        }
        return new Filesystem.Builder()
                .add("LABEL", Fields.label(sb, 0x6C, 12))
                .add("UUID", Fields.uuid(sb, 0x20))
                .blockSize(sectorSize)
                .type("xfs");
    }

    /** The checks mkfs guarantees and blkid's xfs_verify_sb makes: sizes that agree with their logs. */
    private static boolean saneGeometry(ByteBuffer sb, int sectorSize) {
        long blockSize = sb.getInt(0x04) & 0xffffffffL;
        int inodeSize = sb.getShort(0x68) & 0xffff;
        int blockLog = sb.get(0x78);
        int sectorLog = sb.get(0x79);
        int inodeLog = sb.get(0x7A);
        return sb.getInt(0x58) != 0  // agcount
                && sectorSize >= 512 && sectorSize <= 32768 && Fields.isPowerOfTwo(sectorSize)
                && sectorLog >= 9 && sectorLog <= 15 && (1 << sectorLog) == sectorSize
                && blockSize >= 512 && blockSize <= 65536 && Fields.isPowerOfTwo(blockSize)
                && blockLog >= 9 && blockLog <= 16 && (1L << blockLog) == blockSize
                && inodeSize >= 256 && inodeSize <= 2048 && inodeLog >= 8 && inodeLog <= 11
                && (1 << inodeLog) == inodeSize;
    }

    /** crc32c of the whole superblock sector with the crc field itself taken as zero, stored LE. */
    private static boolean checksumMatches(DeviceReader device, int sectorSize) throws IOException {
        ByteBuffer sector = device.read(0, sectorSize);
        if (sector == null) {
            return false;
        }
        int stored = sector.getInt(CRC_OFFSET);
        sector.putInt(CRC_OFFSET, 0);
        return Crc32c.of(sector.array(), 0, sectorSize) == stored;
    }
}
