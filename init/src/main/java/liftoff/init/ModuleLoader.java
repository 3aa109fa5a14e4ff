package liftoff.init;

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
 * finit_module returns only when its probe is done, and some probes wait long for hardware (the
 * PIIX IDE driver spends about 0.3 s resetting empty channels on QEMU's pc machine). Meanwhile the
 * boot goes on handling uevents and finds the root on another controller. Probes stay synchronous,
 * as the drivers ask: with async_probe=1 the exec waited less, but two virtio disks were named
 * vda and vdb in the order their probes ended, not in PCI order (a verity boot took its hash
 * disk for the data disk). Two threads that need the same dependency share it: the first claims
 * and loads it, the other waits for that load. At the hand-over, loads not yet started are left
 * to the real system ({@link #pauseForHandover}).
 */
final class ModuleLoader {
    /** Written by `liftoff build`: the modules no device asks for, absolute paths, dependencies first. */
    static final String LOAD_LIST = "liftoff.load";

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
            loadNamed(names, true);
        } catch (IOException e) {
            log.error("cannot read " + list + ": " + e.getMessage());
        }
    }

    /**
     * Starts loading the drivers for these modaliases, each with what it needs, in a thread of its
     * own; returns their names (empty when every driver is tried already or there is none).
     * {@code done} is told each driver that loaded and how long its thread took. modprobe.blacklist=
     * keeps a driver from being loaded this way.
     */
    List<String> startForModaliases(Collection<String> modaliases, BiConsumer<String, Long> done) {
        if (database == null) return List.of();
        Set<String> drivers = new LinkedHashSet<>();
        for (String modalias : modaliases) {
            for (String driver : database.modulesForModalias(modalias)) {
                if (!blacklist.contains(driver) && !claims.containsKey(driver)) drivers.add(driver);
            }
        }
        for (String driver : drivers) {
            long start = System.nanoTime();
            loaders.add(Thread.ofPlatform().name("modprobe " + driver).daemon().start(() -> {
                if (loadNamed(List.of(driver), false).contains(driver)) done.accept(driver, (System.nanoTime() - start) / 1_000_000);
            }));
        }
        return List.copyOf(drivers);
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
        return loadNamed(List.of(name), false);
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
        if ((honourBlacklist && blacklist.contains(name)) || Files.isDirectory(Path.of("/sys/module", name))) {
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
                int flags = module.path().endsWith(".ko") ? 0 : Modules.MODULE_INIT_COMPRESSED_FILE;
                Modules.finitModule(fd, parameters.getOrDefault(name, ""), flags);
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
