package liftoff.init.probe;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A directory tree shaped like the parts of sysfs and devtmpfs that {@link BlockDevices} reads:
 * devices/…/block/DISK[/PART] with dev, partition and uevent files, class/block symlinks to them,
 * and device nodes (here plain image files) under dev/.
 */
public final class FakeSysfs {

    public final Path sys;
    public final Path dev;

    public FakeSysfs(Path root) throws IOException {
        this.sys = Files.createDirectories(root.resolve("sys/class/block")).getParent().getParent();
        this.dev = Files.createDirectories(root.resolve("dev"));
    }

    public BlockDevices devices() {
        return new BlockDevices(sys, dev);
    }

    /** A whole disk; {@code image} (may be null: no node yet) becomes its device node. */
    public FakeSysfs disk(String name, int major, int minor, Path image) throws IOException {
        return add(sys.resolve("devices/virtual/block").resolve(name), name, major, minor, 0, image);
    }

    public FakeSysfs partition(String disk, String name, int major, int minor, int number, Path image) throws IOException {
        return add(sys.resolve("devices/virtual/block").resolve(disk).resolve(name), name, major, minor, number, image);
    }

    private FakeSysfs add(Path dir, String name, int major, int minor, int number, Path image) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("dev"), major + ":" + minor + "\n");
        String devName = name.replace('!', '/');
        Files.writeString(dir.resolve("uevent"), "MAJOR=" + major + "\nMINOR=" + minor + "\nDEVNAME=" + devName
                + "\nDEVTYPE=" + (number == 0 ? "disk" : "partition") + "\n");
        if (number > 0) {
            Files.writeString(dir.resolve("partition"), number + "\n");
        }
        Path link = sys.resolve("class/block").resolve(name);
        Files.createSymbolicLink(link, link.getParent().relativize(dir));
        if (image != null) {
            Path node = dev.resolve(devName);
            Files.createDirectories(node.getParent());
            Files.copy(image, node);
        }
        return this;
    }
}
