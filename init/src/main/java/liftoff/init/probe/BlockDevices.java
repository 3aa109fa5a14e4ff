package liftoff.init.probe;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Lists block devices from sysfs: /sys/class/block/NAME/dev gives major:minor, /partition the
 * partition number, uevent the DEVNAME of the node devtmpfs created, and the entry's real path
 * (…/block/sda/sda1) names the parent disk. Both roots are parameters so tests can point them at a
 * directory tree shaped like sysfs.
 */
public final class BlockDevices {

    private final Path classBlock;
    private final Path dev;

    public BlockDevices(Path sysfs, Path dev) {
        this.classBlock = sysfs.resolve("class/block");
        this.dev = dev;
    }

    /** The running system's devices: /sys and /dev. */
    public static BlockDevices system() {
        return new BlockDevices(Path.of("/sys"), Path.of("/dev"));
    }

    /** The directory holding the device nodes (/dev). */
    public Path dev() {
        return dev;
    }

    /** The device numbered {@code major:minor}, or null when sysfs does not list it. */
    public BlockDevice byNumber(int major, int minor) throws IOException {
        for (BlockDevice device : list()) {
            if (device.major() == major && device.minor() == minor) {
                return device;
            }
        }
        return null;
    }

    /**
     * The entry describing {@code partition} in its parent disk's partition table (where its
     * PARTUUID and PARTLABEL live), or null for a whole disk or when the table does not list it.
     */
    public Partition partitionEntry(BlockDevice partition) throws IOException {
        if (!partition.isPartition()) {
            return null;
        }
        BlockDevice disk = read(partition.disk());
        if (disk == null) {
            return null;
        }
        PartitionTable table = Probe.partitionTable(disk.node());
        return table == null ? null : table.partition(partition.partition());
    }

    /**
     * Every block device sysfs lists now, sorted by name. An entry that vanishes or is malformed
     * while being read (hot-unplug, a half-registered device) is left out; the caller asks again.
     */
    public List<BlockDevice> list() throws IOException {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(classBlock)) {
            for (Path entry : entries) {
                names.add(entry.getFileName().toString());
            }
        }
        Collections.sort(names);
        List<BlockDevice> devices = new ArrayList<>(names.size());
        for (String name : names) {
            BlockDevice device = read(name);
            if (device != null) {
                devices.add(device);
            }
        }
        return devices;
    }

    private BlockDevice read(String name) {
        Path entry = classBlock.resolve(name);
        try {
            String number = Files.readString(entry.resolve("dev")).trim();
            int colon = number.indexOf(':');
            if (colon < 0) {
                return null;
            }
            int major = Integer.parseInt(number, 0, colon, 10);
            int minor = Integer.parseInt(number, colon + 1, number.length(), 10);
            Path partitionFile = entry.resolve("partition");
            int partition = 0;
            String disk = null;
            if (Files.exists(partitionFile)) {
                partition = Integer.parseInt(Files.readString(partitionFile).trim());
                disk = entry.toRealPath().getParent().getFileName().toString();
            }
            return new BlockDevice(name, major, minor, partition, disk, dev.resolve(devName(entry, name)));
        } catch (IOException | NumberFormatException e) {
            return null;
        }
    }

    /**
     * The node's path below /dev: uevent's DEVNAME when present (it may contain a directory), else
     * the sysfs name with '!' standing for '/', as the kernel encodes it ("cciss!c0d0").
     */
    private static String devName(Path entry, String name) throws IOException {
        Path uevent = entry.resolve("uevent");
        if (Files.exists(uevent)) {
            for (String line : Files.readAllLines(uevent)) {
                if (line.startsWith("DEVNAME=")) {
                    return line.substring("DEVNAME=".length());
                }
            }
        }
        return name.replace('!', '/');
    }
}
