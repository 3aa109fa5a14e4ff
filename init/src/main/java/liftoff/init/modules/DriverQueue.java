package liftoff.init.modules;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;
import liftoff.init.Log;
import liftoff.sys.DirEntry;
import liftoff.sys.Fs;
import liftoff.sys.SyscallException;

/**
 * When each driver loads. Drivers load in the background, one thread per driver: a driver's
 * finit_module returns only when its probe is done, and some probes wait long for hardware (the
 * PIIX IDE driver spends about 0.2 s resetting its channels on QEMU's pc machine). Meanwhile the
 * boot goes on handling uevents and finds the root on another controller.
 *
 * <p>The drivers coldplug finds wait in a queue and start cheapest first (fewest bytes of module
 * not loaded yet), at most one per CPU, each when the root wait has looked at every disk present
 * and found none to be its device ({@link #disksExamined}; a load that ends wakes the root wait to
 * look). Linking a module costs CPU, and on one CPU a driver for a controller that holds no root
 * (ata_piix and libata beside virtio_blk: 0.24 s of a 0.9 s boot) delays the one that does; so
 * does one that starts while the uevents of the last driver's devices are still unread. Drivers
 * that uevents ask for start at once: they are the next step down from a driver just loaded. Once
 * the root is found the queue stops; at the hand-over, drivers not yet started are left to the
 * real system ({@link #pauseForHandover}), whose udev loads them for their devices.
 *
 * <p>Probes are synchronous (no async_probe=1): the queue takes a load's end to mean its devices
 * are there. Measured with async_probe=1 for drivers with one device: virtio_pci's load ended
 * before its probe ran, the queue started ata_generic beside that probe, and the real init came
 * 0.1 s later. (With it for every driver, a verity boot's two virtio disks also came up swapped.)
 */
public final class DriverQueue {
    /**
     * A load that has run this long no longer holds a CPU's turn: it is waiting for its hardware
     * (a synchronous probe), and the next queued driver starts beside it.
     */
    private static final long WAITING_FOR_HARDWARE_NANOS = 1_000_000_000L;

    private enum Phase { LOOKING_FOR_ROOT, ROOT_FOUND, HANDOVER }

    /** A coldplug driver waiting for its turn; {@code bytes}: its and its dependencies' files not loaded yet. */
    private record Queued(String driver, long bytes, BiConsumer<String, Long> done) {}

    /** Fewest bytes first, then by name. A class, not Comparator.comparingLong: no lambdas to link at boot. */
    private static final class CheapestFirst implements Comparator<Queued> {
        @Override
        public int compare(Queued a, Queued b) {
            int byBytes = Long.compare(a.bytes(), b.bytes());
            return byBytes != 0 ? byBytes : a.driver().compareTo(b.driver());
        }
    }

    /** Guards the fields below, and keeps a module file from being opened while the root switches. */
    private final Object lock = new Object();
    private Phase phase = Phase.LOOKING_FOR_ROOT;
    private final PriorityQueue<Queued> queue = new PriorityQueue<>(new CheapestFirst());
    /** Loads in flight (coldplug and uevent threads) and when each started. */
    private final Map<Thread, Long> running = new HashMap<>();
    /** Entries of /sys/class/block when the root wait last found its device among none of them. */
    private int disksExamined;
    /** Told when a load ends: wakes the root wait, whose next look may start the next queued driver. */
    private volatile Runnable loadEnded = () -> { };

    /** /sys/class/block: the disks and partitions the kernel has made. */
    private final Path blockDevices;
    /** How many queued drivers may load at once (not counting those waiting for hardware). */
    private final int cpus;
    /** Loads a driver after what it needs; true when the driver itself was loaded now. */
    private final Predicate<String> load;
    private final Log log;

    DriverQueue(Path blockDevices, int cpus, Predicate<String> load, Log log) {
        this.blockDevices = blockDevices;
        this.cpus = cpus;
        this.load = load;
        this.log = log;
    }

    /**
     * Coldplug's drivers: queues those not queued already (a walk after lost uevents finds them
     * again), costed by {@code bytes}, and starts those whose turn it is; returns them cheapest first.
     */
    List<String> enqueue(Set<String> drivers, ToLongFunction<String> bytes, BiConsumer<String, Long> done) {
        synchronized (lock) {
            Set<String> fresh = new LinkedHashSet<>(drivers);
            for (Queued waiting : queue) fresh.remove(waiting.driver());
            List<Queued> batch = new ArrayList<>();
            for (String driver : fresh) batch.add(new Queued(driver, bytes.applyAsLong(driver), done));
            batch.sort(queue.comparator());
            queue.addAll(batch);
            dispatch(false);
            return names(batch);
        }
    }

    /** A uevent's drivers: they do not wait their turn, even when coldplug queued them. */
    void startNow(Collection<String> drivers, BiConsumer<String, Long> done) {
        synchronized (lock) {
            queue.removeIf(waiting -> drivers.contains(waiting.driver()));
            for (String driver : drivers) begin(driver, done);
        }
    }

    private static List<String> names(List<Queued> drivers) {
        List<String> names = new ArrayList<>();
        for (Queued driver : drivers) names.add(driver.driver());
        return names;
    }

    /** Starts the queued drivers whose turn it is (all of them when {@code everything}); with {@link #lock} held. */
    private void dispatch(boolean everything) {
        if (phase != Phase.LOOKING_FOR_ROOT) return;
        while (!queue.isEmpty() && (everything || (loadsOnCpu() < cpus && diskCount() <= disksExamined))) {
            Queued next = queue.poll();
            begin(next.driver(), next.done());
        }
    }

    private int loadsOnCpu() {
        long now = System.nanoTime();
        int count = 0;
        for (long started : running.values()) {
            if (now - started < WAITING_FOR_HARDWARE_NANOS) count++;
        }
        return count;
    }

    /** Starts loading {@code driver} in a thread of its own; with {@link #lock} held. */
    private void begin(String driver, BiConsumer<String, Long> done) {
        long start = System.nanoTime();
        Thread thread = Thread.ofPlatform().name("modprobe " + driver).daemon().unstarted(() -> {
            try {
                if (load.test(driver)) done.accept(driver, (System.nanoTime() - start) / 1_000_000);
            } finally {
                synchronized (lock) {
                    running.remove(Thread.currentThread());
                }
                loadEnded.run();
            }
        });
        running.put(thread, start);
        thread.start();
    }

    /** The entries of /sys/class/block: every disk and partition the kernel has made so far. */
    private int diskCount() {
        try {
            int fd = Fs.openDirectory(blockDevices.toString());
            try {
                int disks = 0;
                for (DirEntry entry : Fs.readDirectory(fd)) {
                    if (!entry.isDotOrDotDot()) disks++;
                }
                return disks;
            } finally {
                Fs.close(fd);
            }
        } catch (SyscallException e) {
            return 0;
        }
    }

    /** {@code action} runs in each loader thread as its load ends (DeviceEvents: wake the root wait). */
    void whenALoadEnds(Runnable action) {
        loadEnded = action;
    }

    /**
     * The root wait looked at every disk present and none is the device it waits for: the next
     * queued driver may start (when a CPU is free).
     */
    void disksExamined() {
        synchronized (lock) {
            disksExamined = diskCount();
            dispatch(false);
        }
    }

    /** The root device is there: the queued drivers wait, and are left to the real system at the hand-over. */
    public void rootFound() {
        synchronized (lock) {
            if (phase == Phase.LOOKING_FOR_ROOT) phase = Phase.ROOT_FOUND;
        }
    }

    /**
     * Starts every queued driver now and loads whatever comes from now on: for the rescue shell
     * (after a failed mount or hand-over, the person at the console may need every disk) and for
     * rootdelay=, which asks for all devices to settle.
     */
    public void loadEverything() {
        synchronized (lock) {
            phase = Phase.LOOKING_FOR_ROOT;
            dispatch(true);
        }
    }

    /** Waits until every driver found so far has loaded (or failed), starting the queued ones now. */
    public void awaitLoads() {
        List<Thread> inFlight;
        synchronized (lock) {
            dispatch(true);
            inFlight = new ArrayList<>(running.keySet());
        }
        for (Thread loader : inFlight) {
            try {
                loader.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** The coldplug drivers waiting for their turn, cheapest first. */
    public List<String> queued() {
        synchronized (lock) {
            List<Queued> waiting = new ArrayList<>(queue);
            waiting.sort(queue.comparator());
            return names(waiting);
        }
    }

    /**
     * Stops loading before the root switch: after it, /lib/modules would name the real root's
     * files, and the old root's are being deleted. A load under way finishes (exec waits for it);
     * one not started yet is abandoned, and the real system's udev loads it from its own
     * /lib/modules.
     */
    public void pauseForHandover() {
        synchronized (lock) {
            phase = Phase.HANDOVER;
            List<String> left = queued();
            if (!left.isEmpty()) log.info("not loaded, no root needs them (the real system's udev loads them): " + String.join(" ", left));
        }
    }

    /** The module file opened, or null once the hand-over has begun: an open file outlives the switch, a path does not. */
    Integer openUnlessHandingOver(Path file) {
        synchronized (lock) {
            return phase == Phase.HANDOVER ? null : Fs.openat(Fs.AT_FDCWD, file.toString(), Fs.O_RDONLY | Fs.O_CLOEXEC, 0);
        }
    }
}
