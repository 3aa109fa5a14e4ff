package liftoff.init.probe;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Identifies what a block device or image holds: a filesystem (or LUKS, swap) superblock and a
 * partition table, each format in its own class. Every prober reads a few KiB at fixed offsets and
 * answers null for anything it does not recognise, so damaged media never stop the boot.
 */
public final class Probe {

    /**
     * Tried in turn; the formats with strong magics come first and vfat, which has almost none,
     * comes late so that it cannot shadow another format.
     */
    private static final FilesystemFormat[] FORMATS = {
        new Luks(), new Xfs(), new Ext(), new Btrfs(), new Squashfs(), new Erofs(), new Swap(), new Vfat(),
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
