package liftoff.init;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import liftoff.sys.DirEntry;
import liftoff.sys.Fs;
import liftoff.sys.SyscallException;

/**
 * The devices the kernel found before the init ran, by their modaliases: what udev's "trigger"
 * replays as uevents. A device a driver can claim sits on a bus, so the walk reads
 * /sys/bus/BUS/devices/NAME/modalias rather than every directory under /sys/devices: under the
 * interpreter the init runs in, listing the whole tree (7,000 entries on a small VM) took 1.5-1.8 s,
 * the bus lists take about 60 ms. Two modaliases live outside the bus lists: the CPU's (its
 * features: crc32c_intel, aesni_intel) and the firmware's DMI identity; they are read directly.
 */
final class Coldplug {
    private static final String[] OFF_BUS = {"devices/system/cpu/modalias", "devices/virtual/dmi/id/modalias"};

    private Coldplug() {}

    /** The distinct modaliases of the devices present in {@code sysfs} (/sys), sorted. */
    static Set<String> modaliases(Path sysfs) {
        Set<String> found = new TreeSet<>();
        String buses = sysfs.resolve("bus").toString();
        int fd = Fs.openDirectory(buses);
        try {
            for (DirEntry bus : Fs.readDirectory(fd)) {
                if (!bus.isDotOrDotDot()) readBus(buses + "/" + bus.displayName() + "/devices", found);
            }
        } finally {
            Fs.close(fd);
        }
        for (String file : OFF_BUS) read(sysfs.resolve(file), found);
        return found;
    }

    /** Each entry of a bus's device list is a symlink to the device's directory. */
    private static void readBus(String devices, Set<String> found) {
        int fd;
        try {
            fd = Fs.openDirectory(devices);
        } catch (SyscallException e) {
            return;   // not a bus directory
        }
        try {
            for (DirEntry device : Fs.readDirectory(fd)) {
                if (!device.isDotOrDotDot()) read(Path.of(devices, device.displayName(), "modalias"), found);
            }
        } finally {
            Fs.close(fd);
        }
    }

    private static void read(Path file, Set<String> found) {
        try {
            String modalias = Files.readString(file).strip();
            if (!modalias.isEmpty()) found.add(modalias);
        } catch (IOException e) {
            // no modalias (memory blocks, clock sources), or a device going away: nothing to load
        }
    }
}
