package liftoff.init;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import liftoff.init.modules.ModuleDatabase;
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
 * finit_module returns only when its probe is done (unless it probes asynchronously, see
 * {@link #ASYNC_PROBE}), and some probes wait long for hardware (the PIIX IDE driver spends about
 * 0.3 s resetting empty channels on QEMU's pc machine). Meanwhile the boot goes on handling
 * uevents and finds the root on another controller. Two threads that need
 * the same dependency share it: the first claims and loads it, the other waits for that load. At
 * the hand-over, loads not yet started are left to the real system ({@link #pauseForHandover}).
 */
final class ModuleLoader {
    /** Written by `liftoff build`: the modules no device asks for, absolute paths, dependencies first. */
    static final String LOAD_LIST = "liftoff.load";

    /**
     * For a driver that exactly one device present at coldplug asks for: its probe runs in the
     * kernel's async workers and finit_module returns once the driver is registered, so a slow
     * probe (ata_piix resetting empty IDE channels, AHCI waiting for links) does not hold the exec,
     * which waits for every thread still inside finit_module. Never for a driver with two or more
     * devices, nor for one a uevent asks for (more of its devices may follow): their probes would
     * end in any order, and so would the names (vda, vdb) given in probe order. Measured both
     * ways: with async probes for every driver, a verity boot's two virtio disks came up swapped.
     * A driver that must probe synchronously says so itself and the kernel ignores the request.
     */
    static final String ASYNC_PROBE = "async_probe=1";

    /** The totals for the log and for the rescue report. */
    record Result(int loaded, int skipped, List<String> failures) {}

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
    private final List<Thread> loaders = new CopyOnWriteArrayList<>();
    /** Guards {@link #paused} against a module file being opened while the root switches. */
    private final Object handover = new Object();
    private boolean paused;

    private ModuleLoader(Path dir, ModuleDatabase database, Set<String> blacklist, Map<String, String> parameters, Log log) {
        this.dir = dir;
        this.database = database;
        this.blacklist = blacklist;
        this.parameters = parameters;
        this.log = log;
    }

    /**
     * The loader for the running kernel's /lib/modules/{@code kernelRelease}; without its indexes it
     * loads nothing and says why (an image built for another kernel).
     */
    static ModuleLoader open(String kernelRelease, Collection<String> blacklist, Map<String, String> parameters, Log log) {
        return open(Path.of("/lib/modules"), kernelRelease, blacklist, parameters, log);
    }

    /** {@link #open} with the modules under {@code modulesRoot} instead of /lib/modules (tests). */
    static ModuleLoader open(Path modulesRoot, String kernelRelease, Collection<String> blacklist, Map<String, String> parameters,
            Log log) {
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
        return new ModuleLoader(dir, database, names, parameters, log);
    }

    Result result() {
        return new Result(loaded.get(), skipped.get(), List.copyOf(failures));
    }

    /** The image's liftoff.load list: what no device asks for (filesystems, device-mapper), in order. */
    void loadList() {
        Path list = dir.resolve(LOAD_LIST);
        if (database == null || !Files.isRegularFile(list)) return;
        try {
            List<String> names = new ArrayList<>();
            for (String line : Files.readAllLines(list)) {
                if (!line.isBlank()) names.add(ModuleDatabase.nameOf(line.strip()));
            }
            loadNamed(names, true, null);
        } catch (IOException e) {
            log.error("cannot read " + list + ": " + e.getMessage());
        }
    }

    /**
     * Coldplug: starts loading the drivers that the devices present ask for (one modalias per
     * device, duplicates for identical devices), each with what it needs, in a thread of its own;
     * returns their names. A driver only one device asks for probes asynchronously (see
     * {@link #ASYNC_PROBE}). {@code done} is told each driver that loaded and how long its thread
     * took. modprobe.blacklist= keeps a driver from being loaded this way.
     */
    List<String> startForDevices(List<String> modaliases, BiConsumer<String, Long> done) {
        return start(modaliases, true, done);
    }

    /** A uevent's device: starts loading its driver (if not tried yet), probing synchronously. */
    List<String> startForModalias(String modalias, BiConsumer<String, Long> done) {
        return start(List.of(modalias), false, done);
    }

    private List<String> start(List<String> modaliases, boolean asyncWhenAlone, BiConsumer<String, Long> done) {
        if (database == null) return List.of();
        Map<String, Integer> asking = new LinkedHashMap<>();   // modalias -> how many devices have it
        for (String modalias : modaliases) asking.merge(modalias, 1, Integer::sum);
        Map<String, Integer> devices = new LinkedHashMap<>();   // driver -> how many devices ask for it
        for (Map.Entry<String, Integer> modalias : asking.entrySet()) {   // identical devices are matched once
            for (String driver : database.modulesForModalias(modalias.getKey())) {
                if (!blacklist.contains(driver) && !claims.containsKey(driver)) devices.merge(driver, modalias.getValue(), Integer::sum);
            }
        }
        for (Map.Entry<String, Integer> driver : devices.entrySet()) {
            String name = driver.getKey();
            String extra = asyncWhenAlone && driver.getValue() == 1 ? ASYNC_PROBE : null;
            long start = System.nanoTime();
            loaders.add(Thread.ofPlatform().name("modprobe " + name).daemon().start(() -> {
                if (loadNamed(List.of(name), false, extra).contains(name)) done.accept(name, (System.nanoTime() - start) / 1_000_000);
            }));
        }
        return List.copyOf(devices.keySet());
    }

    /** Waits until every driver started so far has loaded (or failed). */
    void awaitLoads() {
        for (Thread loader : loaders) {
            try {
                loader.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            loaders.remove(loader);
        }
    }

    /**
     * Stops loading before the root switch: after it, /lib/modules would name the real root's
     * files, and the old root's are being deleted. A load under way finishes (exec waits for it);
     * one not started yet is abandoned, and the real system's udev loads it from its own
     * /lib/modules.
     */
    void pauseForHandover() {
        synchronized (handover) {
            paused = true;
        }
    }

    /** Loads again after a hand-over that failed (the rescue shell may need modules). */
    void resume() {
        synchronized (handover) {
            paused = false;
        }
    }

    /** modprobe NAME: the module (or the module an exact alias names) after what it needs. */
    List<String> loadByName(String name) {
        if (database == null || database.find(name) == null) {
            if (database != null && database.isBuiltin(name)) return List.of();
            failures.add(name + ": not in this image");
            log.warn("module " + name + " is not in this image");
            return List.of();
        }
        return loadNamed(List.of(name), false, null);
    }

    /** The module {@code name} is, or that an exact alias such as "fs-xfs" names; null when the image has none. */
    String moduleFor(String name) {
        ModuleDatabase.Module module = database == null ? null : database.find(name);
        return module == null ? null : module.name();
    }

    /** Whether {@code name} is in the kernel: built in, or a module loaded now or before. */
    boolean present(String name) {
        String module = ModuleDatabase.normalize(name);
        return (database != null && database.isBuiltin(module)) || Files.isDirectory(Path.of("/sys/module", module));
    }

    /** Loads {@code names} in dependency order; returns the names loaded now. */
    private List<String> loadNamed(List<String> names, boolean honourBlacklist, String driverParameter) {
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
                if (load(module, honourBlacklist, names.contains(name) ? driverParameter : null)) loadedNow.add(name);
            } finally {
                claim.complete(null);
            }
        }
        return loadedNow;
    }

    /** One module, unless blacklisted or present; true when it was loaded now. */
    private boolean load(ModuleDatabase.Module module, boolean honourBlacklist, String extraParameter) {
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
                Modules.finitModule(fd, parameters(name, extraParameter), flags);
            } finally {
                Fs.close(fd);
            }
            loaded.incrementAndGet();
            return true;
        } catch (SyscallException e) {
            if (e.errno() == Errno.EEXIST) {
                skipped.incrementAndGet();
            } else {
                failures.add(name + ": " + e.errnoName());
                log.warn("module " + name + " did not load: " + e.getMessage());
            }
            return false;
        }
    }

    /** The command line's parameters for the module, after {@code extra} when there is one (the command line wins). */
    private String parameters(String module, String extra) {
        String given = parameters.getOrDefault(module, "");
        return extra == null ? given : given.isEmpty() ? extra : extra + " " + given;
    }

    /** The module file opened, or null once the hand-over has begun: an open file outlives the switch, a path does not. */
    private Integer openUnlessPaused(Path file) {
        synchronized (handover) {
            return paused ? null : Fs.openat(Fs.AT_FDCWD, file.toString(), Fs.O_RDONLY | Fs.O_CLOEXEC, 0);
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
