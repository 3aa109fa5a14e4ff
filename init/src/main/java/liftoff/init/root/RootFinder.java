package liftoff.init.root;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import liftoff.init.probe.BlockDevice;
import liftoff.init.probe.BlockDevices;
import liftoff.init.probe.Filesystem;
import liftoff.init.probe.Partition;
import liftoff.init.probe.PartitionTable;
import liftoff.init.probe.Probe;

/**
 * Resolves a {@link RootSpec} to the device node that holds the root filesystem, among the block
 * devices present right now. The init calls {@link #find} again as devices appear (uevents,
 * polling) until it answers or the timeout passes.
 */
public final class RootFinder {

    private final BlockDevices devices;

    public RootFinder(BlockDevices devices) {
        this.devices = devices;
    }

    /**
     * The node for {@code spec}, or null when no present device matches yet. When several match
     * (cloned disks), the first by sysfs name wins. Devices that cannot be read are passed over.
     *
     * @throws IOException only when sysfs itself cannot be listed
     */
    public Path find(RootSpec spec) throws IOException {
        return switch (spec.kind()) {
            case PATH -> byPath(spec.value());
            case DEVNUM -> node(devices.byNumber(spec.major(), spec.minor()));
            case UUID, LABEL -> byFilesystem(devices.list(), spec);
            case PARTUUID, PARTLABEL -> byPartition(devices.list(), spec);
        };
    }

    /**
     * /dev/NAME: whatever node exists at that path, be it the one devtmpfs made for a device or a
     * link someone made (/dev/mapper/…). Other paths are taken as they are.
     */
    private Path byPath(String path) {
        Path node = path.startsWith("/dev/") ? devices.dev().resolve(path.substring("/dev/".length())) : Path.of(path);
        return Files.exists(node) ? node : null;
    }

    /**
     * The device's node once devtmpfs has made it: sysfs can list a device a moment before its
     * node appears, and a node that is not there yet cannot be mounted.
     */
    private static Path node(BlockDevice device) {
        return device != null && Files.exists(device.node()) ? device.node() : null;
    }

    private static Path byFilesystem(List<BlockDevice> present, RootSpec spec) {
        for (BlockDevice device : present) {
            Filesystem fs = probe(device);
            if (fs == null) {
                continue;
            }
            boolean match = spec.kind() == RootSpec.Kind.UUID
                    ? spec.value().equalsIgnoreCase(fs.uuid())
                    : spec.value().equals(fs.label());
            if (match) {
                return node(device);
            }
        }
        return null;
    }

    /**
     * PARTUUID and PARTLABEL live in the disk's partition table, not in the partition: read each
     * whole disk's table, then find the partition device the kernel numbered N (+ PARTNROFF).
     */
    private static Path byPartition(List<BlockDevice> present, RootSpec spec) {
        for (BlockDevice disk : present) {
            if (disk.isPartition()) {
                continue;
            }
            PartitionTable table = partitionTable(disk);
            if (table == null) {
                continue;
            }
            for (Partition partition : table.partitions()) {
                boolean match = spec.kind() == RootSpec.Kind.PARTUUID
                        ? spec.value().equalsIgnoreCase(partition.uuid())
                        : spec.value().equals(partition.label());
                if (match) {
                    return partitionNode(present, disk, partition.number() + spec.partitionOffset());
                }
            }
        }
        return null;
    }

    private static Path partitionNode(List<BlockDevice> present, BlockDevice disk, int number) {
        for (BlockDevice device : present) {
            if (disk.name().equals(device.disk()) && device.partition() == number) {
                return node(device);
            }
        }
        return null;  // the table is read but the kernel has not announced the partition yet
    }

    /** The device's filesystem, or null when it has none liftoff knows or cannot be read. */
    public static Filesystem probe(BlockDevice device) {
        try {
            return Probe.filesystem(device.node());
        } catch (IOException e) {
            return null;  // no medium, no permission, gone: not the root device (yet)
        }
    }

    private static PartitionTable partitionTable(BlockDevice disk) {
        try {
            return Probe.partitionTable(disk.node());
        } catch (IOException e) {
            return null;
        }
    }
}
