package liftoff.init;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import liftoff.sys.Errno;
import liftoff.sys.Fs;
import liftoff.sys.Modules;
import liftoff.sys.SyscallException;

/**
 * Loads the image's kernel modules in the order the builder resolved (dependencies first), each
 * straight from its file with finit_module. A module that is loaded already, or built in, is
 * skipped; one that fails is reported and the rest still load: the root may not need it.
 */
final class ModuleLoader {
    /** Written by `liftoff build`: module paths relative to /lib/modules/KVER, dependencies first. */
    static final String LOAD_LIST = "liftoff.load";

    private ModuleLoader() {}

    /** The result for the log and for the rescue report. */
    record Result(int loaded, int skipped, List<String> failures) {}

    static Result loadAll(String kernelRelease, Set<String> blacklist, Map<String, String> parameters, Log log) {
        Path dir = Path.of("/lib/modules", kernelRelease);
        Path list = dir.resolve(LOAD_LIST);
        if (!Files.isRegularFile(list)) {
            if (Files.isDirectory(Path.of("/lib/modules"))) {
                log.warn("no " + list + ": this image was built for another kernel than " + kernelRelease
                        + " (it has " + String.join(", ", listing(Path.of("/lib/modules"))) + ")");
            }
            return new Result(0, 0, List.of());
        }
        try {
            return load(dir, Files.readAllLines(list), blacklist, parameters, log);
        } catch (IOException e) {
            log.error("cannot read " + list + ": " + e.getMessage());
            return new Result(0, 0, List.of());
        }
    }

    /** modprobe: the module {@code name} after its dependencies, as modules.dep lists them. */
    static Result loadWithDependencies(String kernelRelease, String name, Log log) {
        Path dir = Path.of("/lib/modules", kernelRelease);
        String wanted = name.replace('-', '_');
        try {
            for (String line : Files.readAllLines(dir.resolve("modules.dep"))) {
                int colon = line.indexOf(':');
                if (colon < 0 || !moduleName(line.substring(0, colon)).equals(wanted)) continue;
                // modules.dep names a module's dependencies in the order modprobe unloads them.
                List<String> order = new ArrayList<>(List.of(line.substring(colon + 1).trim().split("\\s+")));
                order.removeIf(String::isEmpty);
                Collections.reverse(order);
                order.add(line.substring(0, colon));
                return load(dir, order, Set.of(), Map.of(), log);
            }
        } catch (IOException e) {
            log.error("cannot read " + dir.resolve("modules.dep") + ": " + e.getMessage());
        }
        return new Result(0, 0, List.of(name + ": not in this image"));
    }

    private static Result load(Path dir, List<String> paths, Set<String> blacklist, Map<String, String> parameters, Log log) {
        int loaded = 0;
        int skipped = 0;
        List<String> failures = new ArrayList<>();
        for (String relative : paths) {
            if (relative.isBlank()) continue;
            String name = moduleName(relative);
            if (blacklist.contains(name) || Files.isDirectory(Path.of("/sys/module", name))) {
                skipped++;
                continue;
            }
            try {
                load(dir.resolve(relative), parameters.getOrDefault(name, ""));
                loaded++;
            } catch (SyscallException e) {
                if (e.errno() == Errno.EEXIST) {
                    skipped++;
                } else {
                    failures.add(name + ": " + e.errnoName());
                    log.warn("module " + name + " did not load: " + e.getMessage());
                }
            }
        }
        return new Result(loaded, skipped, failures);
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

    /** kernel/drivers/block/virtio_blk.ko.xz -> virtio_blk; '-' and '_' are the same to the kernel. */
    static String moduleName(String path) {
        String file = path.substring(path.lastIndexOf('/') + 1);
        int ko = file.indexOf(".ko");
        return (ko >= 0 ? file.substring(0, ko) : file).replace('-', '_');
    }

    private static List<String> listing(Path dir) {
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }
}
