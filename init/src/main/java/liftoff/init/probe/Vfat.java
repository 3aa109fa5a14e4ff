package liftoff.init.probe;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Locale;

/**
 * FAT12/16/32. The boot sector has no real magic, so blkid validates the BPB geometry. The label
 * blkid reports as LABEL is the volume-label entry of the root directory (what Windows and
 * dosfslabel show); the boot sector's copy is LABEL_FATBOOT. The UUID is the volume serial.
 */
final class Vfat implements FilesystemFormat {

    private static final String NO_NAME = "NO NAME    ";
    private static final int FAT12_MAX = 0xFF4;
    private static final int FAT16_MAX = 0xFFF4;
    private static final int FAT32_MAX = 0x0FFFFFF6;
    private static final int DIR_ENTRY = 32;
    private static final int ATTR_VOLUME_ID = 0x08;
    private static final int ATTR_DIR = 0x10;
    private static final int ATTR_LONG_NAME = 0x0F;
    private static final int ENTRY_FREE = 0xE5;
    /** How a directory entry stores a first byte 0xE5, which would mark it free. */
    private static final int ENTRY_E5 = 0x05;
    /** Extended boot signatures: 0x29 announces serial, label and type string; 0x28 the serial only. */
    private static final int EBPB_FULL = 0x29;
    private static final int EBPB_SERIAL = 0x28;
    /** blkid's bound on following the FAT32 root directory's cluster chain. */
    private static final int MAX_ROOT_CLUSTERS = 100;

    @Override
    public Filesystem probe(DeviceReader device) throws IOException {
        ByteBuffer bs = device.read(0, 512);
        if (bs == null || !isBootSector(bs)) {
            return null;
        }
        int sectorSize = bs.getShort(0x0B) & 0xffff;
        int reserved = bs.getShort(0x0E) & 0xffff;
        long fatSectors = fatSectors(bs) * (bs.get(0x10) & 0xff);
        Filesystem.Builder tags = new Filesystem.Builder();
        if (bs.getShort(0x16) != 0) {  // FAT12/16: a fixed root directory after the FATs
            long rootStart = (reserved + fatSectors) * sectorSize;
            int ebpb = bs.get(0x26) & 0xff;
            tags.add("SEC_TYPE", "msdos")
                    .add("LABEL_FATBOOT", ebpb == EBPB_FULL ? bootLabel(bs, 0x2B) : null)
                    .add("LABEL", findLabel(device, rootStart, bs.getShort(0x11) & 0xffff))
                    .add("UUID", ebpb == EBPB_FULL || ebpb == EBPB_SERIAL ? serial(bs, 0x27) : null);
        } else if (bs.getInt(0x24) != 0) {  // FAT32: the root directory is a cluster chain
            if (!fsinfoValid(device, bs, sectorSize)) {
                return null;
            }
            tags.add("LABEL_FATBOOT", (bs.get(0x42) & 0xff) == EBPB_FULL ? bootLabel(bs, 0x47) : null)
                    .add("LABEL", fat32RootLabel(device, bs, sectorSize, reserved, fatSectors))
                    .add("UUID", serial(bs, 0x43));  // blkid reads FAT32's serial whatever the signature
        }
        // With neither FAT size set, blkid still says vfat but reads no label or serial.
        return tags.blockSize(sectorSize).type("vfat");
    }

    /**
     * True when sector 0 is a FAT boot sector; the dos partition-table prober asks this too, since
     * a FAT boot sector also ends in 0x55AA and would otherwise pass for an MBR.
     */
    static boolean isBootSector(ByteBuffer bs) {
        return hasSignature(bs) && validGeometry(bs);
    }

    /**
     * A FAT type string, or else the 0x55AA boot signature (old floppies have no type string);
     * JFS and HPFS leave a FAT-like pseudo boot sector, which blkid rules out by name.
     */
    private static boolean hasSignature(ByteBuffer bs) {
        if (Fields.hasMagic(bs, 0x52, "MSWIN") || Fields.hasMagic(bs, 0x52, "FAT32   ")
                || Fields.hasMagic(bs, 0x36, "MSDOS") || Fields.hasMagic(bs, 0x36, "FAT16   ")
                || Fields.hasMagic(bs, 0x36, "FAT12   ") || Fields.hasMagic(bs, 0x36, "FAT     ")) {
            return true;
        }
        return Mbr.hasBootSignature(bs)
                && !Fields.hasMagic(bs, 0x36, "JFS     ") && !Fields.hasMagic(bs, 0x36, "HPFS    ");
    }

    /** blkid's fat_valid_superblock: plausible BPB fields and a cluster count the FAT type allows. */
    private static boolean validGeometry(ByteBuffer bs) {
        int sectorSize = bs.getShort(0x0B) & 0xffff;
        int clusterSize = bs.get(0x0D) & 0xff;
        int reserved = bs.getShort(0x0E) & 0xffff;
        int fats = bs.get(0x10) & 0xff;
        int media = bs.get(0x15) & 0xff;
        if (fats == 0 || reserved == 0 || !(media >= 0xF8 || media == 0xF0)
                || !Fields.isPowerOfTwo(clusterSize)
                || !Fields.isPowerOfTwo(sectorSize) || sectorSize < 512 || sectorSize > 4096) {
            return false;
        }
        long sectors = bs.getShort(0x13) & 0xffff;
        if (sectors == 0) {
            sectors = bs.getInt(0x20) & 0xffffffffL;
        }
        long dirSectors = ((bs.getShort(0x11) & 0xffff) * (long) DIR_ENTRY + sectorSize - 1) / sectorSize;
        long clusters = (sectors - (reserved + fatSectors(bs) * fats + dirSectors)) / clusterSize;
        long max;
        if (bs.getShort(0x16) == 0 && bs.getInt(0x24) != 0) {
            max = FAT32_MAX;
        } else {
            max = clusters > FAT12_MAX ? FAT16_MAX : FAT12_MAX;
        }
        return clusters >= 0 && clusters <= max;
    }

    /** Sectors per FAT: the 16-bit field, or the FAT32 one when that is zero. */
    private static long fatSectors(ByteBuffer bs) {
        int length = bs.getShort(0x16) & 0xffff;
        return length != 0 ? length : bs.getInt(0x24) & 0xffffffffL;
    }

    /** Walks the FAT32 root directory's cluster chain looking for the volume-label entry. */
    private static String fat32RootLabel(DeviceReader device, ByteBuffer bs, int sectorSize,
                                         int reserved, long fatSectors) throws IOException {
        int clusterSize = bs.get(0x0D) & 0xff;
        long fatEntries = (bs.getInt(0x24) & 0xffffffffL) * sectorSize / 4;
        long cluster = bs.getInt(0x2C) & 0xffffffffL;
        for (int i = 1; i < MAX_ROOT_CLUSTERS && cluster != 0 && cluster < fatEntries; i++) {
            long offset = (reserved + fatSectors + (cluster - 2) * clusterSize) * sectorSize;
            String label = findLabel(device, offset, clusterSize * sectorSize / DIR_ENTRY);
            if (label != null) {
                return label;
            }
            ByteBuffer next = device.read((long) reserved * sectorSize + cluster * 4, 4);
            if (next == null) {
                return null;
            }
            cluster = next.getInt(0) & 0x0FFFFFFFL;
        }
        return null;
    }

    /** The first volume-label entry among {@code entries} directory entries at {@code offset}. */
    private static String findLabel(DeviceReader device, long offset, int entries) throws IOException {
        ByteBuffer dir = device.read(offset, entries * DIR_ENTRY);
        if (dir == null) {
            return null;
        }
        for (int i = 0; i < entries; i++) {
            int entry = i * DIR_ENTRY;
            int first = dir.get(entry) & 0xff;
            if (first == 0) {
                break;  // end of directory
            }
            int attr = dir.get(entry + 11) & 0x3F;
            boolean hasCluster = dir.getShort(entry + 20) != 0 || dir.getShort(entry + 26) != 0;
            if (first == ENTRY_FREE || hasCluster || attr == ATTR_LONG_NAME) {
                continue;  // deleted, a real file, or a long-name fragment
            }
            if ((attr & (ATTR_VOLUME_ID | ATTR_DIR)) == ATTR_VOLUME_ID) {
                if (first == ENTRY_E5) {
                    dir.put(entry, (byte) ENTRY_FREE);  // a label starting with code-page byte 0xE5
                }
                return Fields.label(dir, entry, 11);  // "NO NAME" too: it is the label here
            }
        }
        return null;
    }

    /**
     * The boot sector's 11-byte copy of the label unless it is the "NO NAME" placeholder, which
     * blkid drops only here: a root-directory entry that says NO NAME is what LABEL is. Being an
     * extra label, it loses leading whitespace too.
     */
    private static String bootLabel(ByteBuffer bs, int offset) {
        return Fields.hasMagic(bs, offset, NO_NAME) ? null : Fields.extraLabel(bs, offset, 11);
    }

    /** FAT32 demands a known FSInfo signature (or an all-zero one, some formatters leave it so). */
    private static boolean fsinfoValid(DeviceReader device, ByteBuffer bs, int sectorSize) throws IOException {
        int sector = bs.getShort(0x30) & 0xffff;
        if (sector == 0) {
            return true;
        }
        ByteBuffer info = device.read((long) sector * sectorSize, 512);
        if (info == null) {
            return false;
        }
        int lead = info.getInt(0);
        int struct = info.getInt(484);
        return (lead == 0x41615252 || lead == 0x41645252 || lead == 0)
                && (struct == 0x61417272 || struct == 0);
    }

    /**
     * The volume serial as blkid prints it: XXXX-XXXX, upper-case, most significant byte first;
     * null when it is zero (blkid sets no UUID then).
     */
    private static String serial(ByteBuffer bs, int offset) {
        int value = bs.getInt(offset);
        if (value == 0) {
            return null;
        }
        String hex = Fields.hex32(value).toUpperCase(Locale.ROOT);
        return hex.substring(0, 4) + "-" + hex.substring(4);
    }
}
