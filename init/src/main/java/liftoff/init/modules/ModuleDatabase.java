package liftoff.init.modules;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * depmod's text indexes for one kernel (/lib/modules/KVER): modules.dep, modules.builtin,
 * modules.softdep and modules.alias. Module names are compared with '-' and '_' equivalent, as the
 * kernel and kmod do ("nvme-core" is "nvme_core").
 */
public final class ModuleDatabase {
    /** A loadable module: its path relative to the kernel directory, and those of its dependencies. */
    public record Module(String name, String path, List<String> dependencies) {
        /** The compression suffix (".xz", ".zst", ".gz") or "" for a plain .ko. */
        public String compression() {
            return path.substring(path.lastIndexOf(".ko") + 3);
        }
    }

    private final Path kernelDir;
    private final Map<String, Module> modules;          // by normalized name, in modules.dep order
    private final Set<String> builtin;                  // normalized names
    private final Map<String, List<String>> softdepPre; // normalized name -> names (or aliases) to load first
    private final List<Alias> aliases;                  // file order
    private final Map<String, String> softdepLines;     // normalized name -> its modules.softdep line
    // Built by the first modalias lookup: only coldplug and the builder's host-only selection make
    // any. Threads racing to it may each build one; it is immutable once built, so any of them serves.
    private volatile ModaliasIndex modaliasIndex;

    /** One "alias PATTERN MODULE" line of modules.alias. */
    record Alias(String pattern, String module, String line) {}

    private ModuleDatabase(Path kernelDir, Map<String, Module> modules, Set<String> builtin,
            Map<String, List<String>> softdepPre, Map<String, String> softdepLines, List<Alias> aliases) {
        this.kernelDir = kernelDir;
        this.modules = modules;
        this.builtin = builtin;
        this.softdepPre = softdepPre;
        this.softdepLines = softdepLines;
        this.aliases = aliases;
    }

    /** Reads the indexes in {@code kernelDir}; modules.dep is required, the others may be missing. */
    public static ModuleDatabase load(Path kernelDir) throws IOException {
        Map<String, Module> modules = new LinkedHashMap<>();
        Path depFile = kernelDir.resolve("modules.dep");
        List<IndexLines.Line> depLines;
        try {
            depLines = IndexLines.read(depFile);
        } catch (NoSuchFileException e) {
            throw new IOException(depFile + ": missing (run depmod " + kernelDir.getFileName() + ")", e);
        }
        for (IndexLines.Line line : depLines) {
            // "PATH: DEPENDENCY ...": the colon ends the first word (depmod writes a space after it).
            String first = line.words().getFirst();
            int colon = first.indexOf(':');
            if (colon <= 0 || !first.substring(0, colon).contains(".ko")) {
                throw new IOException(depFile + ":" + line.number() + ": expected 'path.ko: dependency.ko ...', got '"
                        + line.text() + "'");
            }
            String path = first.substring(0, colon);
            List<String> dependencies = new ArrayList<>();
            if (colon + 1 < first.length()) dependencies.add(first.substring(colon + 1));
            dependencies.addAll(line.words().subList(1, line.words().size()));
            String name = nameOf(path);
            modules.put(name, new Module(name, path, List.copyOf(dependencies)));
        }

        Set<String> builtin = new LinkedHashSet<>();
        for (IndexLines.Line line : optionalLines(kernelDir.resolve("modules.builtin"))) {
            builtin.add(nameOf(line.text()));
        }

        Map<String, List<String>> softdepPre = new LinkedHashMap<>();
        Map<String, String> softdepLines = new LinkedHashMap<>();
        for (IndexLines.Line line : optionalLines(kernelDir.resolve("modules.softdep"))) {
            String stripped = line.text();
            List<String> words = line.words();
            if (words.size() < 3 || !words.get(0).equals("softdep")) {
                continue; // comments; a MODULE_SOFTDEP without "pre:"/"post:" is ignored by kmod too
            }
            String module = normalize(words.get(1));
            softdepLines.put(module, stripped);
            boolean pre = false;
            for (String word : words.subList(2, words.size())) {
                if (word.endsWith(":")) {
                    pre = word.equals("pre:");
                } else if (pre) {
                    // Not computeIfAbsent: linking its lambda took 8 ms of a cold load under host -Xint.
                    List<String> loadFirst = softdepPre.get(module);
                    if (loadFirst == null) {
                        loadFirst = new ArrayList<>();
                        softdepPre.put(module, loadFirst);
                    }
                    loadFirst.add(word);
                }
            }
        }

        List<Alias> aliases = new ArrayList<>();
        for (IndexLines.Line line : optionalLines(kernelDir.resolve("modules.alias"))) {
            List<String> words = line.words();
            if (words.size() == 3 && words.get(0).equals("alias")) {
                aliases.add(new Alias(words.get(1), normalize(words.get(2)), line.text()));
            }
        }
        return new ModuleDatabase(kernelDir, modules, builtin, softdepPre, softdepLines, aliases);
    }

    public Path kernelDir() {
        return kernelDir;
    }

    public boolean isBuiltin(String name) {
        return builtin.contains(normalize(name));
    }

    /** The module called {@code name}, or else the first module an exact (wildcard-free) alias names. */
    public Module find(String name) {
        List<Module> found = findAll(name);
        return found.isEmpty() ? null : found.getFirst();
    }

    /**
     * The module called {@code name}, or else every module an exact alias names, in file order, as
     * modprobe loads them all: "crypto-crc32c" is both crc32c_intel and crc32c_generic, and on a
     * CPU without SSE 4.2 only the second loads.
     */
    public List<Module> findAll(String name) {
        Module module = modules.get(normalize(name));
        if (module != null) return List.of(module);
        List<Module> found = new ArrayList<>();
        for (Alias alias : aliases) {
            Module named = alias.pattern.equals(name) ? modules.get(alias.module) : null;
            if (named != null && !found.contains(named)) found.add(named);
        }
        return found;
    }

    /**
     * The modules to load for {@code names}, dependencies first, each once: for every name its softdep
     * "pre:" modules, then its modules.dep dependencies last-to-first (the order modprobe loads them), then
     * itself. Builtin names need nothing. The order depends only on the order of {@code names}.
     *
     * @param missing called for every name (requested, or a softdep) that is neither a module nor builtin
     */
    public List<Module> loadOrder(List<String> names, Consumer<String> missing) {
        Map<String, Module> ordered = new LinkedHashMap<>();
        Set<String> visiting = new LinkedHashSet<>();
        for (String name : names) {
            visit(name, ordered, visiting, missing);
        }
        return List.copyOf(ordered.values());
    }

    private void visit(String name, Map<String, Module> ordered, Set<String> visiting, Consumer<String> missing) {
        if (isBuiltin(name)) {
            return;
        }
        List<Module> found = findAll(name);
        if (found.isEmpty()) missing.accept(name);
        for (Module module : found) place(module, ordered, visiting, missing);
    }

    private void place(Module module, Map<String, Module> ordered, Set<String> visiting, Consumer<String> missing) {
        if (ordered.containsKey(module.name) || !visiting.add(module.name)) {
            return; // already placed, or a dependency cycle (depmod refuses those; a hand-made file may not)
        }
        for (String pre : softdepPre.getOrDefault(module.name, List.of())) {
            visit(pre, ordered, visiting, missing);
        }
        for (String dependency : module.dependencies.reversed()) {
            visit(nameOf(dependency), ordered, visiting, missing);
        }
        ordered.put(module.name, module);
    }

    /**
     * The modules whose modules.alias patterns match {@code modalias} (fnmatch, as modprobe does),
     * normalized names in file order, those of patterns with a wildcard bus ("acpi*:...") after
     * the others; empty when none does.
     */
    public Set<String> modulesForModalias(String modalias) {
        ModaliasIndex index = modaliasIndex;
        if (index == null) modaliasIndex = index = new ModaliasIndex(aliases);
        return index.modulesFor(modalias);
    }

    /**
     * A device driver: a module some device asks for by modalias ("pci:...", "virtio:...",
     * "scsi:..."), which coldplug loads when that device is present. Filesystems, device-mapper
     * targets and libraries have only name-like aliases ("fs-ext4", "devname:mapper/control").
     */
    public boolean isDeviceDriver(String name) {
        String module = normalize(name);
        return aliases.stream().anyMatch(a -> a.module.equals(module) && isDevicePattern(a.pattern));
    }

    /** A modalias pattern ("pci:v...", "cpu:type:x86,..."), as opposed to "fs-xfs" or "devname:mapper/control". */
    private static boolean isDevicePattern(String pattern) {
        return pattern.contains(":") && !pattern.startsWith("devname:");
    }

    /** The modules.softdep lines of the {@code shipped} modules (normalized names), in file order. */
    public List<String> softdepLines(Set<String> shipped) {
        return softdepLines.entrySet().stream().filter(e -> shipped.contains(e.getKey())).map(Map.Entry::getValue).toList();
    }

    /**
     * The modules.alias lines of the {@code shipped} modules (normalized names), in file order; for
     * the modules in {@code withoutDeviceAliases} only their other aliases ("fs-xfs", "crypto-xts"),
     * so that coldplug, matching the CPU's and the buses' modaliases, never loads them.
     */
    public List<String> aliasLines(Set<String> shipped, Set<String> withoutDeviceAliases) {
        return aliases.stream()
                .filter(a -> shipped.contains(a.module))
                .filter(a -> !(withoutDeviceAliases.contains(a.module) && isDevicePattern(a.pattern)))
                .map(Alias::line)
                .toList();
    }

    /** The modules.dep lines of the {@code shipped} modules (normalized names), in file order. */
    public List<String> depLines(Set<String> shipped, UnaryOperator<String> pathInImage) {
        return modules.values().stream()
                .filter(m -> shipped.contains(m.name))
                .map(m -> pathInImage.apply(m.path) + ":"
                        + (m.dependencies.isEmpty() ? "" : " " + String.join(" ", m.dependencies.stream().map(pathInImage).toList())))
                .toList();
    }

    /** "kernel/drivers/nvme/host/nvme-core.ko.zst" → "nvme_core". */
    public static String nameOf(String path) {
        String file = path.substring(path.lastIndexOf('/') + 1);
        int ko = file.indexOf(".ko");
        return normalize(ko >= 0 ? file.substring(0, ko) : file);
    }

    public static String normalize(String name) {
        return name.replace('-', '_');
    }

    private static List<IndexLines.Line> optionalLines(Path file) throws IOException {
        return Files.exists(file) ? IndexLines.read(file) : List.of();
    }
}
