package liftoff.init.probe;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * btrfs: the primary superblock at 64 KiB. UUID is the filesystem's, UUID_SUB this device's (a
 * multi-device btrfs shares one UUID). The superblock checksum is verified when it is crc32c.
 */
final class Btrfs implements FilesystemFormat {

    private static final long SUPERBLOCK = 64 * 1024;
    private static final int SIZE = 4096;
    private static final int CSUM_CRC32C = 0;
    private static final int DEV_ITEM_UUID = 0xC9 + 0x42;

    @Override
    public Filesystem probe(DeviceReader device) throws IOException {
        ByteBuffer sb = device.read(SUPERBLOCK, SIZE);
        if (sb == null || !Fields.hasMagic(sb, 0x40, "_BHRfS_M") || !checksumMatches(sb)) {
            return null;
        }
        long sectorSize = sb.getInt(0x90) & 0xffffffffL;
        return new Filesystem.Builder()
                .add("LABEL", Fields.label(sb, 0x12B, 256))
                .add("UUID", Fields.uuid(sb, 0x20))
                .add("UUID_SUB", Fields.uuid(sb, DEV_ITEM_UUID))
                .blockSize(sectorSize)
                .type("btrfs");
    }

    /** csum covers everything after the 32-byte csum field; other algorithms are not checked. */
    private static boolean checksumMatches(ByteBuffer sb) {
        if ((sb.getShort(0xC4) & 0xffff) != CSUM_CRC32C) {
            return true;
        }
        return Crc32c.of(sb.array(), 0x20, SIZE - 0x20) == sb.getInt(0);
    }
}
