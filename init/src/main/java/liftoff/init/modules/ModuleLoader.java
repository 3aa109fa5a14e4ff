package liftoff.init.modules;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import liftoff.init.Log;
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
 * <p>Drivers found by modalias wait their turn in the {@link DriverQueue}, each loading in a
 * thread of its own. Two threads that need the same dependency share it: the first claims and
 * loads it, the other waits for that load.
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
    private final DriverQueue drivers;

    private ModuleLoader(Path dir, ModuleDatabase database, Path blockDevices, int cpus, Set<String> blacklist,
            Map<String, String> parameters, Log log) {
        this.dir = dir;
        this.database = database;
        this.blacklist = blacklist;
        this.parameters = parameters;
        this.log = log;
        this.drivers = new DriverQueue(blockDevices, cpus, this::loadDriver, log);
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
        Set<String> found = new LinkedHashSet<>();
        for (String modalias : new LinkedHashSet<>(modaliases)) {   // identical devices are matched once
            for (String driver : database.modulesForModalias(modalias)) {
                if (!blacklist.contains(driver) && !claims.containsKey(driver)) found.add(driver);
            }
        }
        if (coldplug) return drivers.enqueue(found, this::bytesToLoad, done);
        drivers.startNow(found, done);
        return List.copyOf(found);
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

    /** When the drivers that devices ask for load: the root wait and the hand-over steer it. */
    public DriverQueue drivers() {
        return drivers;
    }

    /** One driver found by modalias, after what it needs; true when the driver itself loaded now. */
    private boolean loadDriver(String driver) {
        return loadNamed(List.of(driver), false).contains(driver);
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
            Integer fd = drivers.openUnlessHandingOver(dir.resolve(module.path()));
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

    private static List<String> listing(Path dir) {
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }
}
