package liftoff.init;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import liftoff.sys.DirEntry;
import liftoff.sys.Fs;
import liftoff.sys.SyscallException;

/**
 * The devices the kernel found before the init ran: every {@code modalias} attribute under
 * /sys/devices, which is what udev's "trigger" replays as uevents. The walk goes through getdents64,
 * whose entries carry their type, so no file is stat'ed: under the interpreter the init runs in,
 * a stat per sysfs attribute (thousands of them) would cost more than the modules take to load.
 * Symlinks (subsystem, driver, the bus's back links) are not followed: each device is seen once.
 */
final class Coldplug {
    private static final byte[] MODALIAS = {'m', 'o', 'd', 'a', 'l', 'i', 'a', 's'};

    private Coldplug() {}

    /** The distinct modaliases under {@code devices} (/sys/devices), sorted. */
    static Set<String> modaliases(Path devices) {
        Set<String> found = new TreeSet<>();
        int fd = Fs.openDirectory(devices.toString());
        try {
            walk(fd, devices.toString(), found);
        } finally {
            Fs.close(fd);
        }
        return found;
    }

    private static void walk(int dirFd, String path, Set<String> found) {
        for (DirEntry entry : Fs.readDirectory(dirFd)) {
            if (entry.isDotOrDotDot()) continue;
            if (entry.type() == DirEntry.DT_DIR) {
                int child;
                try {
                    child = Fs.openDirectory(dirFd, entry.name());
                } catch (SyscallException e) {
                    continue;   // a device that went away during the walk
                }
                try {
                    walk(child, path + "/" + entry.displayName(), found);
                } finally {
                    Fs.close(child);
                }
            } else if (entry.type() == DirEntry.DT_REG && Arrays.equals(entry.name(), MODALIAS)) {
                read(path + "/modalias", found);
            }
        }
    }

    private static void read(String file, Set<String> found) {
        try {
            String modalias = Files.readString(Path.of(file)).strip();
            if (!modalias.isEmpty()) found.add(modalias);
        } catch (IOException e) {
            // unreadable (a device being removed, or an attribute that refuses reads): nothing to load
        }
    }
}
