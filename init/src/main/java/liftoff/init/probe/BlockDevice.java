package liftoff.init.probe;

import java.nio.file.Path;

/**
 * A block device the kernel announced in /sys/class/block. {@code name} is the sysfs name
 * ("sda1", "nvme0n1p2"), {@code node} its device node under /dev. {@code partition} is the
 * partition number, 0 for a whole disk; {@code disk} names the parent disk of a partition and is
 * null for a whole disk.
 */
public record BlockDevice(String name, int major, int minor, int partition, String disk, Path node) {

    public boolean isPartition() {
        return partition > 0;
    }
}
