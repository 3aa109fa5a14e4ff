package liftoff.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import liftoff.init.modules.ModuleDatabase;

/**
 * HOSTONLY=yes: the modules this machine needs to mount its own root, found as udev and modprobe
 * would load them: from the root's block device up through its parents in sysfs, each parent's
 * {@code modalias} matched against the target kernel's modules.alias and its bound {@code driver},
 * through device-mapper and md slaves to the disks underneath, plus the root filesystem's module.
 */
public final class HostOnly {
    /**
     * What was found.
     *
     * @param device  the root's block device (sysfs name) and filesystem type
     * @param modules module names to request, in the order found (the selection adds dependencies)
     * @param reasons one line per module or built-in driver: why it is needed, for the build log
     */
    public record Found(String device, String fsType, List<String> modules, List<String> reasons) {}

    private final ModuleDatabase database;
    private final Path sysfs;
    private final Set<String> modules = new LinkedHashSet<>();
    private final List<String> reasons = new ArrayList<>();

    private HostOnly(ModuleDatabase database, Path sysfs) {
        this.database = database;
        this.sysfs = sysfs;
    }

    /** The running system's root: the "/" line of {@code mountinfo} (normally /proc/self/mountinfo). */
    public static Found forRunningRoot(ModuleDatabase database, Path sysfs, Path mountinfo) throws IOException {
        for (String line : Files.readAllLines(mountinfo)) {
            String[] fields = line.split(" ");
            int dash = List.of(fields).indexOf("-");
            if (fields.length < 5 || !fields[4].equals("/") || dash < 0 || dash + 2 >= fields.length) continue;
            String type = fields[dash + 1];
            String source = fields[dash + 2];
            // btrfs and overlay roots report an anonymous device number; their source names the disk.
            Path byNumber = sysfs.resolve("dev/block").resolve(fields[2]);
            Path bySource = source.startsWith("/dev/") ? sysfs.resolve("class/block")
                    .resolve(Path.of(source).toRealPath().getFileName().toString()) : null;
            Path block = bySource != null && Files.exists(bySource) ? bySource : byNumber;
            if (!Files.exists(block)) {
                throw new IOException("hostonly: the root (" + source + ", " + type + ", device " + fields[2]
                        + ") is not a block device in " + sysfs + "; build a generic image instead");
            }
            return forDevice(database, sysfs, block.toRealPath().getFileName().toString(), type);
        }
        throw new IOException("hostonly: no root (\"/\") mount in " + mountinfo);
    }

    /** The block device {@code name} (as in /sys/class/block) holding a {@code fsType} root. */
    public static Found forDevice(ModuleDatabase database, Path sysfs, String name, String fsType) throws IOException {
        Path block = sysfs.resolve("class/block").resolve(name);
        if (!Files.exists(block)) throw new IOException("hostonly: no block device " + name + " in " + sysfs.resolve("class/block"));
        HostOnly walk = new HostOnly(database, sysfs);
        walk.device(block.toRealPath());
        walk.need(fsType, "the root filesystem " + fsType);
        return new Found(name, fsType, List.copyOf(walk.modules), List.copyOf(walk.reasons));
    }

    private void device(Path dev) throws IOException {
        String name = dev.getFileName().toString();
        Path slaves = dev.resolve("slaves");
        if (Files.isDirectory(slaves)) {
            try (var list = Files.list(slaves)) {
                for (Path slave : list.sorted().toList()) device(slave.toRealPath());
            }
        }
        if (name.startsWith("dm-")) {
            need("dm_mod", name + " is a device-mapper device");
            String uuid = read(dev.resolve("dm/uuid"));
            if (uuid.startsWith("CRYPT-")) need("dm_crypt", name + " is dm-crypt (" + uuid.substring(0, uuid.indexOf('-', 6) + 1) + "...)");
            if (uuid.startsWith("CRYPT-VERITY") || uuid.startsWith("VERITY")) need("dm_verity", name + " is dm-verity");
        } else if (name.startsWith("md")) {
            need("md_mod", name + " is an md array");
            String level = read(dev.resolve("md/level"));
            if (level.matches("raid[456]")) need("raid456", name + " is " + level);
            else if (!level.isEmpty()) need(level, name + " is " + level);
        }
        Path devices = sysfs.resolve("devices").toRealPath();
        for (Path p = dev; p != null && p.startsWith(devices) && !p.equals(devices); p = p.getParent()) {
            String modalias = read(p.resolve("modalias"));
            if (!modalias.isEmpty()) {
                for (String module : database.modulesForModalias(modalias)) need(module, devices.relativize(p) + " has modalias " + modalias);
            }
            Path driver = p.resolve("driver");
            if (Files.isSymbolicLink(driver)) {
                String driverName = driver.toRealPath().getFileName().toString();
                if (database.find(driverName) != null || database.isBuiltin(driverName)) {
                    need(driverName, devices.relativize(p) + " is bound to driver " + driverName);
                }
            }
        }
    }

    /** Adds {@code module} once; a built-in one is only noted, one the kernel lacks is only noted. */
    private void need(String module, String why) {
        String name = ModuleDatabase.normalize(module);
        if (modules.contains(name) || reasons.stream().anyMatch(r -> r.startsWith(name + ": "))) return;
        if (database.isBuiltin(name)) {
            reasons.add(name + ": built in (" + why + ")");
        } else if (database.find(name) != null) {
            modules.add(name);
            reasons.add(name + ": " + why);
        } else {
            reasons.add(name + ": not a module of this kernel (" + why + ")");
        }
    }

    private static String read(Path file) throws IOException {
        return Files.isRegularFile(file) ? Files.readString(file).strip() : "";
    }
}
