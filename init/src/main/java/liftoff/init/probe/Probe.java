package liftoff.init.probe;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Identifies what a block device or image holds: a filesystem (or LUKS, swap) superblock and a
 * partition table, each format in its own class. Every prober reads a few KiB at fixed offsets and
 * answers null for anything it does not recognise, so damaged media never stop the boot.
 */
public final class Probe {

    /**
     * Tried in turn; the formats with strong magics come first and vfat, which has almost none,
     * comes late so that it cannot shadow another format. A LUKS2 secondary header counts only
     * when nothing else is there.
     */
    private static final FilesystemFormat[] FORMATS = {
        Luks.PRIMARY, new Xfs(), new Ext(), new Btrfs(), new Squashfs(), new Erofs(), new Swap(), new Vfat(),
        Luks.SECONDARY,
    };

    private Probe() {
    }

    /** The filesystem at {@code path}, or null when none is recognised. */
    public static Filesystem filesystem(Path path) throws IOException {
        try (DeviceReader device = DeviceReader.open(path)) {
            return filesystem(device);
        }
    }

    /** The partition table at {@code path} (GPT before dos), or null when there is none. */
    public static PartitionTable partitionTable(Path path) throws IOException {
        try (DeviceReader device = DeviceReader.open(path)) {
            return partitionTable(device);
        }
    }

    /**
     * Everything blkid prints for a device, in its order: the filesystem's tags, the partition
     * table's PTUUID and PTTYPE, then PARTLABEL and PARTUUID from {@code entry}, the device's own
     * entry in its parent disk's table (null for an image file or a whole disk). Empty when
     * nothing is recognised.
     */
    public static Map<String, String> tags(Path path, Partition entry) throws IOException {
        Map<String, String> tags = new LinkedHashMap<>();
        try (DeviceReader device = DeviceReader.open(path)) {
            Filesystem fs = filesystem(device);
            if (fs != null) {
                tags.putAll(fs.tags());
            }
            PartitionTable table = partitionTable(device);
            if (table != null) {
                putIfPresent(tags, "PTUUID", table.uuid());
                tags.put("PTTYPE", table.type());
            }
        }
        if (entry != null) {
            putIfPresent(tags, "PARTLABEL", entry.label());
            putIfPresent(tags, "PARTUUID", entry.uuid());
        }
        return tags;
    }

    private static void putIfPresent(Map<String, String> tags, String name, String value) {
        if (value != null) {
            tags.put(name, value);
        }
    }

    public static Filesystem filesystem(DeviceReader device) throws IOException {
        for (FilesystemFormat format : FORMATS) {
            Filesystem found = format.probe(device);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    public static PartitionTable partitionTable(DeviceReader device) throws IOException {
        PartitionTable gpt = Gpt.probe(device);
        return gpt != null ? gpt : Mbr.probe(device);
    }
}
