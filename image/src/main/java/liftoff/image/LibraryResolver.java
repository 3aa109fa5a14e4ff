package liftoff.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The shared libraries a set of ELF programs needs, found the way glibc's ld.so finds them:
 * <ol>
 *   <li>DT_RPATH of the object, then of the objects that loaded it up to the program — only when the
 *       object has no DT_RUNPATH;</li>
 *   <li>DT_RUNPATH of the object itself;</li>
 *   <li>the directories of /etc/ld.so.conf (ld.so knows them only through /etc/ld.so.cache);</li>
 *   <li>the system directories for the object's architecture (see {@link #systemDirs}).</li>
 * </ol>
 * A candidate of the wrong machine or ELF class is skipped, as ld.so skips it. For a library loaded
 * later with dlopen(), a name that one of the given objects has as file name or SONAME needs no search:
 * ld.so reuses an object already loaded under that name, which is how the JDK's libnio.so finds
 * libjava.so without any RUNPATH (the JVM loaded libjava.so by full path before).
 *
 * <p>The image has no ld.so.cache, and at /init time no /proc: glibc expands a <em>program's own</em>
 * $ORIGIN by reading /proc/self/exe (a library's $ORIGIN comes from the path it was opened by and
 * always works). So a library found only through an ld.so.conf directory or through a program's
 * $ORIGIN gets an {@linkplain Closure#aliases alias}: a symlink in the first system directory, where
 * the loader looks without either. This is why the JDK's libjli.so, found through java's
 * "$ORIGIN/../lib", also appears as /lib/x86_64-linux-gnu/libjli.so.
 */
public final class LibraryResolver {
    private final List<Path> configuredDirs;

    /**
     * What the programs need, as host paths.
     *
     * @param loaders   the PT_INTERP paths, to be shipped at exactly that path
     * @param libraries every library as the loader looks it up (e.g. /lib/x86_64-linux-gnu/libc.so.6),
     *                  to be shipped with the symlinks on the way to the real file
     * @param aliases   extra symlinks: a path in a system directory → the library (host path) it must reach
     */
    public record Closure(SortedSet<Path> loaders, SortedSet<Path> libraries, SortedMap<Path, Path> aliases) {}

    /** A directory to search, and whether ld.so can search it in the image before /proc exists. */
    private record SearchDir(Path dir, boolean reachableAtBoot) {}

    /**
     * An object still to be scanned, with the DT_RPATH directories inherited from the objects that loaded
     * it, and whether it is loaded by dlopen() after the program started (then the given objects are
     * already loaded).
     */
    private record Pending(Path path, Elf elf, List<SearchDir> inheritedRpath, boolean late) {}

    public LibraryResolver(List<Path> configuredDirs) {
        this.configuredDirs = List.copyOf(configuredDirs);
    }

    /** A resolver for this host: the ld.so.conf directories from /etc/ld.so.conf. */
    public static LibraryResolver forHost() throws IOException {
        return new LibraryResolver(LdSoConf.read(Path.of("/etc/ld.so.conf")));
    }

    /**
     * The closure of {@code programs} (executables, or libraries loaded at start) and {@code dlopened}
     * (libraries a program loads later by path, like the JDK's libjvm.so and libnio.so), all absolute
     * host paths. Objects with a PT_INTERP are treated as the main program for $ORIGIN purposes.
     *
     * @throws IOException naming the library and the object that needs it when a library cannot be found
     */
    public Closure resolve(Collection<Path> programs, Collection<Path> dlopened) throws IOException {
        SortedSet<Path> loaders = new TreeSet<>();
        SortedSet<Path> libraries = new TreeSet<>();
        SortedMap<Path, Path> aliases = new TreeMap<>();
        Set<Path> scanned = new HashSet<>();
        Set<String> loadedNames = new HashSet<>();
        Deque<Pending> queue = new ArrayDeque<>();
        for (Path object : Stream.concat(programs.stream(), dlopened.stream()).toList()) {
            Elf elf = Elf.read(object);
            elf.interpreter().map(Path::of).ifPresent(loaders::add);
            scanned.add(object.toRealPath());
            loadedNames.add(object.getFileName().toString());
            elf.soname().ifPresent(loadedNames::add);
            queue.add(new Pending(object, elf, List.of(), dlopened.contains(object)));
        }
        while (!queue.isEmpty()) {
            Pending object = queue.poll();
            Elf elf = object.elf;
            // ld.so ignores DT_RPATH (the object's and its loaders') when the object has DT_RUNPATH,
            // but the object's loaders' DT_RPATH still applies to the object's own dependencies' lookups.
            List<SearchDir> rpathChain = new ArrayList<>();
            if (!elf.hasRunpath()) {
                rpathChain.addAll(searchPath(elf, object.path, false));
            }
            rpathChain.addAll(object.inheritedRpath);
            List<SearchDir> dirs = new ArrayList<>(elf.hasRunpath() ? List.of() : rpathChain);
            dirs.addAll(searchPath(elf, object.path, true));
            List<Path> system = systemDirs(elf);
            configuredDirs.stream().filter(d -> !system.contains(d)).forEach(d -> dirs.add(new SearchDir(d, false)));
            system.forEach(d -> dirs.add(new SearchDir(d, true)));

            for (String name : elf.needed()) {
                if (object.late && loadedNames.contains(name)) {
                    continue; // ld.so reuses a loaded object whose name or SONAME matches, without searching
                }
                Path found = null;
                SearchDir foundIn = null;
                for (SearchDir dir : dirs) {
                    Path candidate = dir.dir.resolve(name);
                    if (compatible(candidate, elf)) {
                        found = candidate;
                        foundIn = dir;
                        break;
                    }
                }
                if (found == null) {
                    throw new IOException(name + " (needed by " + object.path + ") not found in "
                            + dirs.stream().map(d -> d.dir.toString()).distinct().toList());
                }
                libraries.add(found);
                if (!foundIn.reachableAtBoot) {
                    aliases.put(system.getFirst().resolve(name), found);
                }
                if (scanned.add(found.toRealPath())) {
                    queue.add(new Pending(found, Elf.read(found), rpathChain, object.late));
                }
            }
        }
        return new Closure(loaders, libraries, aliases);
    }

    /**
     * The object's DT_RUNPATH (or DT_RPATH) directories. For a program (it has PT_INTERP) those that use
     * $ORIGIN are unreachable at boot: glibc expands a program's own $ORIGIN from /proc/self/exe.
     */
    private static List<SearchDir> searchPath(Elf elf, Path object, boolean runpath) {
        Path origin = object.toAbsolutePath().getParent();
        List<Path> all = runpath ? elf.runpath(origin) : elf.rpath(origin);
        boolean program = elf.interpreter().isPresent();
        Set<Path> reachable = new HashSet<>(!program ? all : runpath ? elf.runpath(null) : elf.rpath(null));
        return all.stream().map(d -> new SearchDir(d, reachable.contains(d))).toList();
    }

    /** Whether {@code candidate} exists and is an ELF object ld.so could load for {@code requester}. */
    private static boolean compatible(Path candidate, Elf requester) throws IOException {
        if (!Files.isRegularFile(candidate)) {
            return false;
        }
        try {
            Elf elf = Elf.read(candidate);
            return elf.machine() == requester.machine() && elf.is64() == requester.is64();
        } catch (ElfException notElf) {
            return false; // e.g. a linker script named libc.so: ld.so skips it too
        }
    }

    /**
     * The system search directories glibc uses for this architecture without ld.so.cache: Debian's
     * multiarch directories first, then the lib64 directories other distributions use for 64-bit
     * objects, then /lib and /usr/lib.
     */
    static List<Path> systemDirs(Elf elf) {
        String triplet = TRIPLETS.get(elf.machine() + (elf.is64() ? "/64" : "/32"));
        List<Path> dirs = new ArrayList<>();
        if (triplet != null) {
            dirs.add(Path.of("/lib", triplet));
            dirs.add(Path.of("/usr/lib", triplet));
        }
        if (elf.is64()) {
            dirs.add(Path.of("/lib64"));
            dirs.add(Path.of("/usr/lib64"));
        }
        dirs.add(Path.of("/lib"));
        dirs.add(Path.of("/usr/lib"));
        return dirs;
    }

    /** Debian multiarch triplets by e_machine and ELF class. */
    private static final Map<String, String> TRIPLETS = Map.of(
            Elf.EM_X86_64 + "/64", "x86_64-linux-gnu",
            Elf.EM_386 + "/32", "i386-linux-gnu",
            Elf.EM_AARCH64 + "/64", "aarch64-linux-gnu",
            Elf.EM_ARM + "/32", "arm-linux-gnueabihf",
            Elf.EM_RISCV + "/64", "riscv64-linux-gnu");
}
