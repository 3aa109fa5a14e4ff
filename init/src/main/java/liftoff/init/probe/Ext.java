package liftoff.init.probe;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * ext2, ext3 and ext4, and jbd (an external journal). They share one superblock (1 KiB into the
 * device); blkid names the type by the feature flags: a journal makes ext3, any feature ext3 does
 * not know makes ext4.
 */
final class Ext implements FilesystemFormat {

    private static final int SUPERBLOCK = 1024;
    private static final int MAGIC = 0xEF53;

    private static final int COMPAT_HAS_JOURNAL = 0x0004;
    private static final int INCOMPAT_JOURNAL_DEV = 0x0008;
    private static final int RO_COMPAT_METADATA_CSUM = 0x0400;

    // What ext2 and ext3 understand (blkid's EXT2/EXT3_FEATURE_*_SUPP); anything else is ext4.
    private static final int EXT2_RO_COMPAT = 0x0001 | 0x0002 | 0x0004;  // sparse_super, large_file, btree_dir
    private static final int EXT2_INCOMPAT = 0x0002 | 0x0010;            // filetype, meta_bg
    private static final int EXT3_RO_COMPAT = EXT2_RO_COMPAT;
    private static final int EXT3_INCOMPAT = EXT2_INCOMPAT | 0x0004;     // + needs_recovery

    @Override
    public Filesystem probe(DeviceReader device) throws IOException {
        ByteBuffer sb = device.read(SUPERBLOCK, 1024);
        if (sb == null || (sb.getShort(0x38) & 0xffff) != MAGIC) {
            return null;
        }
        int compat = sb.getInt(0x5C);
        int incompat = sb.getInt(0x60);
        int roCompat = sb.getInt(0x64);
        int logBlockSize = sb.getInt(0x18);
        if (logBlockSize < 0 || logBlockSize > 6 || !checksumMatches(sb, roCompat)) {
            return null;
        }
        String label = Fields.label(sb, 0x78, 16);
        String uuid = Fields.uuid(sb, 0x68);
        long blockSize = 1024L << logBlockSize;
        if ((incompat & INCOMPAT_JOURNAL_DEV) != 0) {
            // An external journal: blkid calls it jbd and repeats its UUID as LOGUUID, the name
            // the filesystem using it refers to it by.
            return new Filesystem.Builder().add("LABEL", label).add("UUID", uuid).blockSize(blockSize)
                    .add("LOGUUID", uuid).type("jbd");
        }
        String type = type(compat, incompat, roCompat);
        // blkid adds SEC_TYPE=ext2 for a journalled fs an ext2 driver could still mount.
        String secType = !type.equals("ext2") && (incompat & ~EXT2_INCOMPAT) == 0 ? "ext2" : null;
        // With an external journal, s_journal_uuid names it (zero for an internal journal).
        String journal = (compat & COMPAT_HAS_JOURNAL) != 0 ? Fields.uuid(sb, 0xD0) : null;
        return new Filesystem.Builder()
                .add("LABEL", label)
                .add("UUID", uuid)
                .add("EXT_JOURNAL", journal)
                .add("SEC_TYPE", secType)
                .blockSize(blockSize)
                .type(type);
    }

    private static String type(int compat, int incompat, int roCompat) {
        boolean journal = (compat & COMPAT_HAS_JOURNAL) != 0;
        if (!journal && (roCompat & ~EXT2_RO_COMPAT) == 0 && (incompat & ~EXT2_INCOMPAT) == 0) {
            return "ext2";
        }
        if (journal && (roCompat & ~EXT3_RO_COMPAT) == 0 && (incompat & ~EXT3_INCOMPAT) == 0) {
            return "ext3";
        }
        return "ext4";
    }

    /**
     * With metadata_csum the superblock carries a crc32c of its first 1020 bytes, stored raw (no
     * final inversion: the complement of a standard CRC32C). blkid 2.38 does not check it, but the
     * kernel refuses to mount on a mismatch, so such a device must not be taken for the root.
     */
    private static boolean checksumMatches(ByteBuffer sb, int roCompat) {
        if ((roCompat & RO_COMPAT_METADATA_CSUM) == 0) {
            return true;
        }
        return ~Crc32c.of(sb.array(), 0, 0x3FC) == sb.getInt(0x3FC);
    }
}
