package liftoff.init.modules;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import liftoff.init.Log;
import liftoff.init.modules.ModuleDatabase;
import liftoff.sys.DirEntry;
import liftoff.sys.Errno;
import liftoff.sys.Fs;
import liftoff.sys.Modules;
import liftoff.sys.SyscallException;

/**
 * modprobe for the init: loads the image's kernel modules straight from their files with
 * finit_module, dependencies (modules.dep) and softdep "pre:" modules first, from the indexes the
 * builder wrote into /lib/modules/KVER. Modules come by name (the image's liftoff.load list,
 * liftoff.modules=, the rescue shell's modprobe) or by a device's modalias (coldplug, uevents).
 * A module that is loaded already, or built in, is skipped; one that fails is reported and the
 * rest still load: the root may not need it.
 *
 * <p>Drivers found by modalias load in the background, one thread per driver: a driver's
 * finit_module returns only when its probe is done, and some probes wait long for hardware (the
 * PIIX IDE driver spends about 0.2 s resetting its channels on QEMU's pc machine). Meanwhile the
 * boot goes on handling uevents and finds the root on another controller. Two threads that need
 * the same dependency share it: the first claims and loads it, the other waits for that load.
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
public final class ModuleLoader {
    /** Written by `liftoff build`: the modules no device asks for, absolute paths, dependencies first. */
    static final String LOAD_LIST = "liftoff.load";

    /**
     * The totals for the log and for the rescue report; {@code skipped}: built in, loaded already,
     * or with nothing to serve on this machine (ENODEV).
     */
    public record Result(int loaded, int skipped, List<String> failures) {}

    private final Path dir;
    private final ModuleDatabase database;   // null when the image has no modules for this kernel
    private final Set<String> blacklist;
    private final Map<String, String> parameters;
    private final Log log;
    /** Every module tried, loaded or not, with the load's end: never tried twice, waited for by dependents. */
    private final Map<String, CompletableFuture<Void>> claims = new ConcurrentHashMap<>();
    private final AtomicInteger loaded = new AtomicInteger();
    private final AtomicInteger skipped = new AtomicInteger();
    private final List<String> failures = new CopyOnWriteArrayList<>();
    private volatile Thread listLoader;

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

    private ModuleLoader(Path dir, ModuleDatabase database, Path blockDevices, int cpus, Set<String> blacklist,
            Map<String, String> parameters, Log log) {
        this.dir = dir;
        this.database = database;
        this.blockDevices = blockDevices;
        this.cpus = cpus;
        this.blacklist = blacklist;
        this.parameters = parameters;
        this.log = log;
    }

    /**
     * The loader for the running kernel's /lib/modules/{@code kernelRelease}; without its indexes it
     * loads nothing and says why (an image built for another kernel).
     */
    public static ModuleLoader open(String kernelRelease, Collection<String> blacklist, Map<String, String> parameters, Log log) {
        return open(Path.of("/lib/modules"), Path.of("/sys/class/block"), Runtime.getRuntime().availableProcessors(),
                kernelRelease, blacklist, parameters, log);
    }

    /**
     * {@link #open} with the modules under {@code modulesRoot} instead of /lib/modules, the disks
     * listed in {@code blockDevices} instead of /sys/class/block and {@code cpus} CPUs (tests).
     */
    public static ModuleLoader open(Path modulesRoot, Path blockDevices, int cpus, String kernelRelease, Collection<String> blacklist,
            Map<String, String> parameters, Log log) {
        Path dir = modulesRoot.resolve(kernelRelease);
        ModuleDatabase database = null;
        if (Files.isRegularFile(dir.resolve("modules.dep"))) {
            try {
                database = ModuleDatabase.load(dir);
            } catch (IOException e) {
                log.error("cannot read the module indexes: " + e.getMessage());
            }
        } else if (Files.isDirectory(modulesRoot)) {
            log.warn("no " + dir.resolve("modules.dep") + ": this image was built for another kernel than " + kernelRelease
                    + " (it has " + String.join(", ", listing(modulesRoot)) + ")");
        }
        Set<String> names = new HashSet<>();
        blacklist.forEach(name -> names.add(ModuleDatabase.normalize(name)));
        return new ModuleLoader(dir, database, blockDevices, cpus, names, parameters, log);
    }

    public Result result() {
        return new Result(loaded.get(), skipped.get(), List.copyOf(failures));
    }

    /**
     * Starts loading the image's liftoff.load list (what no device asks for: ext4 and its
     * dependencies on Debian's generic kernel, modules named at build time) in a thread of its own,
     * beside the drivers: the boot keeps handling uevents meanwhile, and the root's filesystem
     * module, if it is on the list, is waited for by the mount that needs it. The list does not
     * count against the queue's CPUs: it is loaded before the hand-over whatever the root
     * ({@link #awaitList}).
     */
    public void startList() {
        listLoader = Thread.ofPlatform().name("modprobe " + LOAD_LIST).daemon().start(this::loadList);
    }

    /** Waits until the liftoff.load list has loaded (or failed): before the hand-over, which must not cut it short. */
    public void awaitList() {
        Thread list = listLoader;
        if (list == null) return;
        try {
            list.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void loadList() {
        Path list = dir.resolve(LOAD_LIST);
        if (database == null || !Files.isRegularFile(list)) return;
        try {
            List<String> names = new ArrayList<>();
            for (String line : Files.readAllLines(list)) {
                if (!line.isBlank()) names.add(ModuleDatabase.nameOf(line.strip()));
            }
            loadNamed(names, true);
        } catch (IOException e) {
            log.error("cannot read " + list + ": " + e.getMessage());
        }
    }

    /**
     * Coldplug: queues the drivers that the devices present ask for (one modalias per device,
     * duplicates for identical devices), each to load with what it needs in a thread of its own when
     * its turn comes (see the class comment); returns their names, cheapest first. {@code done} is
     * told each driver that loaded and how long its thread took. modprobe.blacklist= keeps a driver
     * from being loaded this way.
     */
    List<String> startForDevices(List<String> modaliases, BiConsumer<String, Long> done) {
        return start(modaliases, true, done);
    }

    /** A uevent's device: starts loading its driver at once (if not tried yet). */
    public List<String> startForModalias(String modalias, BiConsumer<String, Long> done) {
        return start(List.of(modalias), false, done);
    }

    private List<String> start(List<String> modaliases, boolean coldplug, BiConsumer<String, Long> done) {
        if (database == null) return List.of();
        Set<String> drivers = new LinkedHashSet<>();
        for (String modalias : new LinkedHashSet<>(modaliases)) {   // identical devices are matched once
            for (String driver : database.modulesForModalias(modalias)) {
                if (!blacklist.contains(driver) && !claims.containsKey(driver)) drivers.add(driver);
            }
        }
        synchronized (lock) {
            if (!coldplug) {
                // A uevent's device does not wait its turn, even when coldplug queued its driver.
                queue.removeIf(waiting -> drivers.contains(waiting.driver()));
                drivers.forEach(driver -> begin(driver, done));
                return List.copyOf(drivers);
            }
            queue.forEach(waiting -> drivers.remove(waiting.driver()));   // a walk after lost uevents finds them again
            List<Queued> batch = new ArrayList<>();
            for (String driver : drivers) batch.add(new Queued(driver, bytesToLoad(driver), done));
            batch.sort(queue.comparator());
            queue.addAll(batch);
            dispatch(false);
            return names(batch);
        }
    }

    private static List<String> names(List<Queued> drivers) {
        List<String> names = new ArrayList<>();
        for (Queued driver : drivers) names.add(driver.driver());
        return names;
    }

    /** The size of the module files {@code driver} needs that no thread has claimed yet: what its load reads and links. */
    private long bytesToLoad(String driver) {
        long bytes = 0;
        for (ModuleDatabase.Module module : database.loadOrder(List.of(driver), missing -> { })) {
            if (claims.containsKey(module.name())) continue;
            try {
                bytes += Fs.stat(dir.resolve(module.path()).toString()).size();
            } catch (SyscallException e) {
                // the load reports it; as a cost it is nothing
            }
        }
        return bytes;
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
                if (loadNamed(List.of(driver), false).contains(driver)) done.accept(driver, (System.nanoTime() - start) / 1_000_000);
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

    /** modprobe NAME: the module (or the module an exact alias names) after what it needs. */
    public List<String> loadByName(String name) {
        if (database == null || database.find(name) == null) {
            if (database != null && database.isBuiltin(name)) return List.of();
            failures.add(name + ": not in this image");
            log.warn("module " + name + " is not in this image");
            return List.of();
        }
        return loadNamed(List.of(name), false);
    }

    /** The module {@code name} is, or that an exact alias such as "fs-xfs" names; null when the image has none. */
    public String moduleFor(String name) {
        ModuleDatabase.Module module = database == null ? null : database.find(name);
        return module == null ? null : module.name();
    }

    /** Whether {@code name} is in the kernel: built in, or a module loaded now or before. */
    public boolean present(String name) {
        String module = ModuleDatabase.normalize(name);
        return (database != null && database.isBuiltin(module)) || Files.isDirectory(Path.of("/sys/module", module));
    }

    /** Loads {@code names} in dependency order; returns the names loaded now. */
    private List<String> loadNamed(List<String> names, boolean honourBlacklist) {
        List<String> loadedNow = new ArrayList<>();
        List<ModuleDatabase.Module> order = database.loadOrder(names, missing -> {
            failures.add(missing + ": not in this image");
            log.warn("module " + missing + " is needed but not in this image");
        });
        for (ModuleDatabase.Module module : order) {
            String name = module.name();
            CompletableFuture<Void> claim = new CompletableFuture<>();
            CompletableFuture<Void> earlier = claims.putIfAbsent(name, claim);
            if (earlier != null) {
                earlier.join();   // another thread loads it: what comes next in the order needs it in place
                continue;
            }
            try {
                if (load(module, honourBlacklist)) loadedNow.add(name);
            } finally {
                claim.complete(null);
            }
        }
        return loadedNow;
    }

    /** One module, unless blacklisted or present; true when it was loaded now. */
    private boolean load(ModuleDatabase.Module module, boolean honourBlacklist) {
        String name = module.name();
        if ((honourBlacklist && blacklist.contains(name)) || present(name)) {
            skipped.incrementAndGet();
            return false;
        }
        try {
            Integer fd = openUnlessPaused(dir.resolve(module.path()));
            if (fd == null) {
                log.info("module " + name + " not loaded: the root is being switched (the real system's udev loads it)");
                return false;
            }
            try {
                int flags = module.compression().isEmpty() ? 0 : Modules.MODULE_INIT_COMPRESSED_FILE;
                Modules.finitModule(fd, parameters.getOrDefault(name, ""), flags);
            } finally {
                Fs.close(fd);
            }
            loaded.incrementAndGet();
            return true;
        } catch (SyscallException e) {
            if (e.errno() == Errno.EEXIST) {
                skipped.incrementAndGet();
            } else if (e.errno() == Errno.ENODEV) {
                // The module's init found nothing to serve: a CPU feature it needs is missing
                // (crc32c_intel without SSE 4.2, loaded because an alias names it beside crc32c_generic).
                skipped.incrementAndGet();
                log.info("module " + name + " has nothing to serve here (ENODEV)");
            } else {
                failures.add(name + ": " + e.errnoName());
                log.warn("module " + name + " did not load: " + e.getMessage());
            }
            return false;
        }
    }

    /** The module file opened, or null once the hand-over has begun: an open file outlives the switch, a path does not. */
    private Integer openUnlessPaused(Path file) {
        synchronized (lock) {
            return phase == Phase.HANDOVER ? null : Fs.openat(Fs.AT_FDCWD, file.toString(), Fs.O_RDONLY | Fs.O_CLOEXEC, 0);
        }
    }

    private static List<String> listing(Path dir) {
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }
}
