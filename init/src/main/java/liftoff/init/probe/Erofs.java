package liftoff.init.probe;

import java.io.IOException;
import java.nio.ByteBuffer;

/** EROFS: superblock 1 KiB in; BLOCK_SIZE is 2^blkszbits. */
final class Erofs implements FilesystemFormat {

    private static final int SUPERBLOCK = 1024;
    private static final int MAGIC = 0xE0F5E1E2;
    private static final int COMPAT_SB_CHKSUM = 0x1;

    @Override
    public Filesystem probe(DeviceReader device) throws IOException {
        ByteBuffer sb = device.read(SUPERBLOCK, 128);
        if (sb == null || sb.getInt(0) != MAGIC) {
            return null;
        }
        int blockBits = sb.get(12) & 0xff;
        if (blockBits < 9 || blockBits > 16) {
            return null;
        }
        if ((sb.getInt(8) & COMPAT_SB_CHKSUM) != 0 && !checksumMatches(device, blockBits)) {
            return null;
        }
        return new Filesystem.Builder()
                .add("LABEL", Fields.label(sb, 64, 16))
                .add("UUID", Fields.uuid(sb, 48))
                .blockSize(1L << blockBits)
                .type("erofs");
    }

    /**
     * The checksum covers the rest of the superblock's block from 1 KiB on, with the checksum
     * field zeroed; like ext4 it is the raw crc32c (seed ~0, no final inversion). blkid 2.38 does
     * not check it; the kernel refuses to mount on a mismatch, and so we do not report one.
     */
    private static boolean checksumMatches(DeviceReader device, int blockBits) throws IOException {
        int length = Math.max((1 << blockBits) - SUPERBLOCK, 128);
        ByteBuffer block = device.read(SUPERBLOCK, length);
        if (block == null) {
            return false;
        }
        int stored = block.getInt(4);
        block.putInt(4, 0);
        return ~Crc32c.of(block.array(), 0, length) == stored;
    }
}
