package liftoff.init.probe;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The DOS (MBR) partition table. PTUUID is the 32-bit disk signature, PARTUUID "signature-NN".
 * Primary entries are partitions 1-4; logical partitions inside an extended one are numbered from
 * 5 by following the chain of extended boot records, as the kernel does.
 */
final class Mbr {

    static final int ENTRIES = 0x1BE;
    private static final int SECTOR = 512;
    private static final int GPT_PROTECTIVE = 0xEE;
    /** Bound on the EBR chain, so a looping chain on a damaged disk ends. */
    private static final int MAX_LOGICAL = 128;

    private Mbr() {
    }

    static PartitionTable probe(DeviceReader device) throws IOException {
        ByteBuffer mbr = device.read(0, SECTOR);
        if (mbr == null || !hasBootSignature(mbr) || Vfat.isBootSector(mbr) || !validEntries(mbr)) {
            return null;
        }
        // A zero signature means "none": blkid then reports neither PTUUID nor PARTUUIDs.
        String signature = mbr.getInt(0x1B8) == 0 ? null : Fields.hex32(mbr.getInt(0x1B8));
        List<Partition> partitions = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            int entry = ENTRIES + i * 16;
            int type = mbr.get(entry + 4) & 0xff;
            if (type == GPT_PROTECTIVE) {
                return null;  // a GPT disk: its protective MBR is not a dos table
            }
            if (type == 0) {
                continue;
            }
            long start = (mbr.getInt(entry + 8) & 0xffffffffL) * SECTOR;
            long size = (mbr.getInt(entry + 12) & 0xffffffffL) * SECTOR;
            partitions.add(partition(signature, i + 1, start, size, type));
            if (isExtended(type)) {
                addLogical(device, signature, start, partitions);
            }
        }
        return new PartitionTable("dos", signature, partitions);
    }

    static boolean hasBootSignature(ByteBuffer sector) {
        return (sector.get(0x1FE) & 0xff) == 0x55 && (sector.get(0x1FF) & 0xff) == 0xAA;
    }

    /** blkid: every boot indicator is 0x00 or 0x80, else this is boot code, not a table. */
    private static boolean validEntries(ByteBuffer mbr) {
        for (int i = 0; i < 4; i++) {
            int flag = mbr.get(ENTRIES + i * 16) & 0xff;
            if (flag != 0 && flag != 0x80) {
                return false;
            }
        }
        return true;
    }

    private static boolean isExtended(int type) {
        return type == 0x05 || type == 0x0F || type == 0x85;
    }

    /**
     * Each EBR holds one logical partition (relative to that EBR) and a link to the next EBR
     * (relative to the start of the extended partition).
     */
    private static void addLogical(DeviceReader device, String signature, long extendedStart,
                                   List<Partition> partitions) throws IOException {
        long ebr = extendedStart;
        int number = 5;
        for (int visited = 0; visited < MAX_LOGICAL; visited++) {
            ByteBuffer sector = device.read(ebr, SECTOR);
            if (sector == null || !hasBootSignature(sector)) {
                return;
            }
            int type = sector.get(ENTRIES + 4) & 0xff;
            long size = (sector.getInt(ENTRIES + 12) & 0xffffffffL) * SECTOR;
            if (type != 0 && size != 0) {
                long start = ebr + (sector.getInt(ENTRIES + 8) & 0xffffffffL) * SECTOR;
                partitions.add(partition(signature, number++, start, size, type));
            }
            long next = (sector.getInt(ENTRIES + 16 + 8) & 0xffffffffL) * SECTOR;
            if (next == 0 || !isExtended(sector.get(ENTRIES + 16 + 4) & 0xff)) {
                return;
            }
            ebr = extendedStart + next;
        }
    }

    private static Partition partition(String signature, int number, long start, long size, int type) {
        String uuid = signature == null ? null : signature + "-" + hex2(number);
        return new Partition(number, start, size, uuid, null, hex2(type));
    }

    private static String hex2(int value) {
        return Integer.toHexString(0x100 | (value & 0xff)).substring(1);
    }
}
