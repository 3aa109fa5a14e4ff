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
 * rest still load: the root may not need it. Not thread-safe: the boot drives it from one thread.
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
    private final Set<String> done = new HashSet<>();   // loaded, present, or failed: never tried twice
    private int loaded;
    private int skipped;
    private final List<String> failures = new ArrayList<>();

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
        Path dir = Path.of("/lib/modules", kernelRelease);
        ModuleDatabase database = null;
        if (Files.isRegularFile(dir.resolve("modules.dep"))) {
            try {
                database = ModuleDatabase.load(dir);
            } catch (IOException e) {
                log.error("cannot read the module indexes: " + e.getMessage());
            }
        } else if (Files.isDirectory(Path.of("/lib/modules"))) {
            log.warn("no " + dir.resolve("modules.dep") + ": this image was built for another kernel than " + kernelRelease
                    + " (it has " + String.join(", ", listing(Path.of("/lib/modules"))) + ")");
        }
        Set<String> names = new HashSet<>();
        blacklist.forEach(name -> names.add(ModuleDatabase.normalize(name)));
        return new ModuleLoader(dir, database, names, parameters, log);
    }

    Result result() {
        return new Result(loaded, skipped, List.copyOf(failures));
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
     * The drivers for these modaliases, each with what it needs; returns the names of the drivers
     * that were loaded now. modprobe.blacklist= keeps a driver from being loaded this way.
     */
    List<String> loadForModaliases(Collection<String> modaliases) {
        if (database == null) return List.of();
        Set<String> drivers = new LinkedHashSet<>();
        for (String modalias : modaliases) {
            for (String driver : database.modulesForModalias(modalias)) {
                if (!blacklist.contains(driver) && !done.contains(driver)) drivers.add(driver);
            }
        }
        if (drivers.isEmpty()) return List.of();
        List<String> loadedNow = new ArrayList<>();
        for (String driver : drivers) {
            if (loadNamed(List.of(driver), false).contains(driver)) loadedNow.add(driver);
        }
        return loadedNow;
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

    /** Loads {@code names} in dependency order; returns the names loaded now. */
    private List<String> loadNamed(List<String> names, boolean honourBlacklist) {
        List<String> loadedNow = new ArrayList<>();
        List<ModuleDatabase.Module> order = database.loadOrder(names, missing -> {
            failures.add(missing + ": not in this image");
            log.warn("module " + missing + " is needed but not in this image");
        });
        for (ModuleDatabase.Module module : order) {
            String name = module.name();
            if (!done.add(name)) continue;
            if ((honourBlacklist && blacklist.contains(name)) || Files.isDirectory(Path.of("/sys/module", name))) {
                skipped++;
                continue;
            }
            try {
                load(dir.resolve(module.path()), parameters.getOrDefault(name, ""));
                loaded++;
                loadedNow.add(name);
            } catch (SyscallException e) {
                if (e.errno() == Errno.EEXIST) {
                    skipped++;
                } else {
                    failures.add(name + ": " + e.errnoName());
                    log.warn("module " + name + " did not load: " + e.getMessage());
                }
            }
        }
        return loadedNow;
    }

    private static void load(Path file, String parameters) {
        int fd = Fs.openat(Fs.AT_FDCWD, file.toString(), Fs.O_RDONLY | Fs.O_CLOEXEC, 0);
        try {
            String f = file.getFileName().toString();
            int flags = f.endsWith(".ko") ? 0 : Modules.MODULE_INIT_COMPRESSED_FILE;
            Modules.finitModule(fd, parameters, flags);
        } finally {
            Fs.close(fd);
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
