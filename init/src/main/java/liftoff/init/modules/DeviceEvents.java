package liftoff.init.modules;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import liftoff.init.Log;
import liftoff.sys.Errno;
import liftoff.sys.SyscallException;
import liftoff.sys.Uevent;
import liftoff.sys.UeventSocket;

/**
 * Devices as they come (drivers load in the background, see {@link ModuleLoader}): coldplug for what the kernel found before the init ran, then the kernel's
 * uevents for what appears later (the virtio disks behind a virtio_pci just loaded, the SCSI disks
 * a host adapter scans, a USB stick, a disk hot-added). A uevent with a MODALIAS loads its driver;
 * a block device "add" wakes whoever waits for the root. The socket is opened before the sysfs walk,
 * so a device that appears during the walk is in the queue if the walk missed it. Without the socket
 * (a kernel without CONFIG_NET) the wait falls back to polling.
 */
public final class DeviceEvents implements AutoCloseable {
    private static final long FAST_POLL_MS = 10;
    private static final long SLOW_POLL_MS = 100;
    private static final long FAST_PHASE_MS = 2_000;

    private final UeventSocket socket;   // null: poll instead
    private final ModuleLoader modules;
    private final Log log;
    private final long started = System.nanoTime();

    private DeviceEvents(UeventSocket socket, ModuleLoader modules, Log log) {
        this.socket = socket;
        this.modules = modules;
        this.log = log;
    }

    /** Starts listening; call before {@link #coldplug()}. */
    public static DeviceEvents listen(ModuleLoader modules, Log log) {
        UeventSocket socket = null;
        try {
            socket = UeventSocket.open();
        } catch (SyscallException e) {
            log.warn("no uevents (" + e.getMessage() + "): polling sysfs for new devices instead");
        }
        if (socket != null) modules.drivers().whenALoadEnds(socket::wake);   // polling looks again by itself
        return new DeviceEvents(socket, modules, log);
    }

    /** Starts loading the drivers of every device present now, each bus's as soon as that bus is read. */
    public void coldplug() {
        coldplug(Path.of("/sys"));
    }

    /**
     * {@link #coldplug()} from the sysfs at {@code sysfs}. Without a readable /sys/bus (sysfs did
     * not mount) it says so and loads nothing: the boot goes on to the root wait and, failing, to
     * the rescue shell, instead of PID 1 dying on the exception.
     */
    public void coldplug(Path sysfs) {
        long start = System.nanoTime();
        List<String> drivers = new ArrayList<>();
        int[] devices = {0};
        try {
            Coldplug.walk(sysfs, modaliases -> {
                devices[0] += modaliases.size();
                drivers.addAll(modules.startForDevices(modaliases, this::loaded));
            });
        } catch (SyscallException e) {
            log.error("coldplug: no device list (" + e.getMessage() + "): drivers load only for devices that send uevents");
            return;
        }
        log.info("coldplug: " + devices[0] + " devices in " + ms(System.nanoTime() - start) + " ms, "
                + (drivers.isEmpty() ? "no driver to load" : "loading " + String.join(" ", drivers)));
    }

    /**
     * The root wait looked at every disk present and none is its device. Handles the events that
     * came while it looked; when none came, the next queued driver may start (true). False when
     * events came: their drivers started and their disks are to be looked at first.
     */
    public boolean noneOfTheDisksIsIt() {
        if (socket != null) {
            boolean any = false;
            Optional<Uevent> event;
            while ((event = receiveOrRewalk(0)) != null && event.isPresent()) {
                handle(event.get());
                any = true;
            }
            if (any || event == null) return false;
        }
        modules.drivers().disksExamined();
        return true;
    }

    /** Starts every queued driver now (rootdelay=: all devices are to come up before the root wait looks). */
    public void loadAllDrivers() {
        modules.drivers().loadEverything();
    }

    private void loaded(String driver, long ms) {
        log.info("loaded " + driver + " in " + ms + " ms");
    }

    /**
     * What udevadm settle gives a dracut pre-mount hook: every driver started has loaded, and no
     * event came for {@code quietMs} after that (the devices a driver makes, and the drivers they ask
     * for, are handled on the way). The rescue shell of liftoff.break=premount starts after this.
     */
    public void settle(long quietMs) {
        while (true) {
            modules.drivers().awaitLoads();
            if (socket == null) return;
            boolean any = false;
            while (true) {
                Optional<Uevent> event = receiveOrRewalk(any ? 0 : quietMs);
                if (event == null) {
                    any = true;   // sysfs was walked again: its drivers are to be waited for
                    break;
                }
                if (event.isEmpty()) break;
                handle(event.get());
                any = true;
            }
            if (!any) return;
        }
    }

    /** The next event within {@code timeoutMs}; null after an overflow, which a new coldplug answers. */
    private Optional<Uevent> receiveOrRewalk(long timeoutMs) {
        try {
            return socket.receive(timeoutMs);
        } catch (SyscallException e) {
            if (e.errno() != Errno.ENOBUFS) throw e;
            log.warn("uevents were lost (the queue overflowed): walking sysfs again");
            coldplug();
            return null;
        }
    }

    /**
     * Handles the events that are queued, then waits up to {@code timeoutMs} (negative: for ever) for
     * a block device to be added, handling every event on the way; true when one was added. Without
     * a socket it sleeps one polling interval and answers true, so the caller looks again.
     */
    public boolean awaitBlockDevice(long timeoutMs) {
        if (socket == null) {
            long sinceStart = ms(System.nanoTime() - started);
            sleep(Math.min(timeoutMs < 0 ? Long.MAX_VALUE : timeoutMs, sinceStart < FAST_PHASE_MS ? FAST_POLL_MS : SLOW_POLL_MS));
            return true;
        }
        long deadline = System.nanoTime() + timeoutMs * 1_000_000;
        boolean blockAdded = false;
        while (true) {
            long left = timeoutMs < 0 ? -1 : Math.max(0, (deadline - System.nanoTime()) / 1_000_000);
            // Once a block device came, only drain what is already queued: the caller wants to look.
            Optional<Uevent> event = receiveOrRewalk(blockAdded ? 0 : left);
            if (event == null) return true;
            if (event.isEmpty()) return blockAdded;
            blockAdded |= handle(event.get());
        }
    }

    /** Loads the event's driver; true for a block device that was added. */
    private boolean handle(Uevent event) {
        if (!event.action().equals("add")) return false;
        String modalias = event.modalias();
        if (modalias != null) {
            List<String> drivers = modules.startForModalias(modalias, this::loaded);
            if (!drivers.isEmpty()) log.info("uevent: loading " + String.join(" ", drivers) + " for " + modalias + " (" + event.devpath() + ")");
        }
        if (event.subsystem().equals("block")) {
            log.debug("uevent: block device " + event.properties().getOrDefault("DEVNAME", event.devpath()) + " added");
            return true;
        }
        return false;
    }

    @Override
    public void close() {
        if (socket != null) socket.close();
    }

    private static long ms(long nanos) {
        return nanos / 1_000_000;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
