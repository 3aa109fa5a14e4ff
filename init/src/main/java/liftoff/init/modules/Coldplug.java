package liftoff.init.modules;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import liftoff.sys.DirEntry;
import liftoff.sys.Fs;
import liftoff.sys.PathBytes;
import liftoff.sys.SyscallException;

/**
 * The devices the kernel found before the init ran, by their modaliases: what udev's "trigger"
 * replays as uevents. A device a driver can claim sits on a bus, so the walk reads
 * /sys/bus/BUS/devices/NAME/modalias rather than every directory under /sys/devices: under the
 * interpreter the init runs in, listing the whole tree (7,000 entries on a small VM) took 1.5-1.8 s,
 * the bus lists take about 60 ms. Two modaliases live outside the bus lists: the CPU's (its
 * features: crc32c_intel, aesni_intel) and the firmware's DMI identity; they are read directly.
 *
 * <p>Files are read with plain system calls on directory descriptors, not java.nio: a missing
 * modalias (most devices of some buses have none) then costs no exception, and the walk a
 * third of its time.
 */
public final class Coldplug {
    private static final String[] OFF_BUS = {"devices/system/cpu/modalias", "devices/virtual/dmi/id/modalias"};
    private static final byte[] DEVICES = "devices".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MODALIAS = "modalias".getBytes(StandardCharsets.US_ASCII);
    /**
     * Buses whose devices have no modalias attribute, skipped because their number grows with the
     * machine: a memory block per 128 MiB of RAM (4,096 on a 512 GiB server), a CPU device, clock
     * event device and machine-check bank per CPU, a NUMA node. Each missing modalias costs a system
     * call, interpreted. (The CPUs' one modalias is OFF_BUS.)
     */
    private static final Set<String> WITHOUT_MODALIAS = Set.of("memory", "cpu", "clockevents", "machinecheck", "node");
    /** The kernel's limit for one sysfs attribute. */
    private static final int MAX_MODALIAS = 4096;

    private Coldplug() {}

    /** The distinct modaliases of the devices present in {@code sysfs} (/sys), sorted. */
    public static Set<String> modaliases(Path sysfs) {
        Set<String> all = new TreeSet<>();
        walk(sysfs, all::addAll);
        return all;
    }

    /**
     * Hands {@code found} the modaliases of each bus's devices as soon as that bus is read (one per
     * device: identical devices give the same string twice), then those of the CPU and the
     * firmware: the caller can start a driver before the walk is over.
     */
    static void walk(Path sysfs, Consumer<List<String>> found) {
        int buses = Fs.openDirectory(sysfs.resolve("bus").toString());
        try {
            for (DirEntry bus : Fs.readDirectory(buses)) {
                if (bus.isDotOrDotDot() || WITHOUT_MODALIAS.contains(new String(bus.name(), StandardCharsets.ISO_8859_1))) continue;
                List<String> modaliases = readBus(buses, bus.name());
                if (!modaliases.isEmpty()) found.accept(modaliases);
            }
        } finally {
            Fs.close(buses);
        }
        List<String> offBus = new ArrayList<>();
        for (String file : OFF_BUS) read(Fs.AT_FDCWD, sysfs.resolve(file).toString().getBytes(StandardCharsets.UTF_8), offBus);
        if (!offBus.isEmpty()) found.accept(offBus);
    }

    /** Each entry of a bus's device list is a symlink to the device's directory. */
    private static List<String> readBus(int buses, byte[] bus) {
        List<String> found = new ArrayList<>();
        int devices;
        try {
            devices = Fs.openDirectory(buses, PathBytes.join(bus, DEVICES));
        } catch (SyscallException e) {
            return found;   // not a bus directory
        }
        try {
            for (DirEntry device : Fs.readDirectory(devices)) {
                if (!device.isDotOrDotDot()) read(devices, PathBytes.join(device.name(), MODALIAS), found);
            }
        } finally {
            Fs.close(devices);
        }
        found.sort(null);   // the kernel's order of a directory is no order: the same machine, the same starts
        return found;
    }

    private static void read(int dirFd, byte[] path, List<String> found) {
        try {
            byte[] bytes = Fs.readIfPresent(dirFd, path, MAX_MODALIAS);
            if (bytes == null) return;   // no modalias (memory blocks, clock sources): nothing to load
            String modalias = new String(bytes, StandardCharsets.ISO_8859_1).strip();
            if (!modalias.isEmpty()) found.add(modalias);
        } catch (SyscallException e) {
            // a device going away while we look, or an attribute that refuses reads: nothing to load
        }
    }
}
