package liftoff.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The content of an image as a set of {@link ImageEntry}s keyed by canonical path: a name is always
 * stored as the path it ends up at once the image's own symlinks are followed (with /lib a symlink to
 * usr/lib, "/lib/modules/x" is stored as "/usr/lib/modules/x"), so that every entry's parent is a real
 * directory in the archive and no name walks through a symlink — unpackers refuse that, rightly.
 *
 * <p>Parents are added automatically; adding the same entry twice is harmless; two different entries
 * for one path are an error naming both. {@link #entries()} lists them sorted by name, which puts
 * parents before children.
 */
public final class ImageTree {
    /** Linux's limit on symlinks followed while resolving one path (ELOOP beyond it). */
    private static final int MAX_SYMLINKS = 40;

    private record Placed(ImageEntry entry, Part part) {}

    private final SortedMap<String, Placed> entries = new TreeMap<>();

    /** Adds a directory (and its parents); a symlink to a directory on the way is followed, as mkdir -p does. */
    public String dir(String name) throws IOException {
        String canonical = resolve(name, true);
        place(new ImageEntry.Dir(canonical, 0755), Part.BASE);
        return canonical;
    }

    /** Adds a directory with a mode other than 0755 (e.g. /tmp's 01777). */
    public void dir(String name, int mode) throws IOException {
        place(new ImageEntry.Dir(resolve(name, true), mode), Part.BASE);
    }

    /** Adds the host file {@code source} as {@code name}, with the source's permission bits. */
    public String file(String name, Path source, Part part) throws IOException {
        return file(name, source, permissions(source), part);
    }

    public String file(String name, Path source, int mode, Part part) throws IOException {
        if (!Files.isRegularFile(source)) {
            throw new IOException(source + ": not a regular file (wanted as " + name + " in the image)");
        }
        String canonical = resolve(name, false);
        place(new ImageEntry.File(canonical, source, mode), part);
        return canonical;
    }

    public String symlink(String name, String target, Part part) throws IOException {
        String canonical = resolve(name, false);
        place(new ImageEntry.Symlink(canonical, target), part);
        return canonical;
    }

    public void node(String name, int mode, char type, int major, int minor) throws IOException {
        place(new ImageEntry.Node(resolve(name, false), mode, type, major, minor), Part.BASE);
    }

    /**
     * Ships the host path {@code path} at the same path in the image, reproducing every symlink on the
     * way (a merged-/usr host's /lib → usr/lib, libc.so.6 → libc-2.36.so style links), so the name a
     * program looks up works in the image exactly as on the host. Returns the canonical image path.
     */
    public String install(Path path, Part part) throws IOException {
        return walk(path.toAbsolutePath().toString(), path.toString(), (next, last) -> {
            Path host = Path.of(next);
            if (Files.isSymbolicLink(host)) {
                String target = Files.readSymbolicLink(host).toString();
                symlink(next, target, part);
                return target;
            }
            if (!last && !Files.isDirectory(host)) {
                throw new IOException(path + ": " + next + " is not a directory");
            } else if (last && Files.isDirectory(host)) {
                dir(next);
            } else if (last) {
                file(next, host, part);
            }
            return null;
        });
    }

    /**
     * Copies the host file or directory tree {@code source} to {@code name}: directories and files in
     * sorted order, symlinks inside the tree kept as symlinks with their targets unchanged, each
     * directory with its own mode (sticky bit included: a root tree's /tmp is 1777, as the image's is).
     */
    public void copy(Path source, String name, Part part) throws IOException {
        Path real = source.toRealPath();
        if (!Files.isDirectory(real)) {
            file(name, real, part);
            return;
        }
        try (Stream<Path> walk = Files.walk(real)) {
            for (Path p : walk.sorted().toList()) {
                String relative = real.relativize(p).toString();
                String target = relative.isEmpty() ? name : name + "/" + relative;
                if (Files.isSymbolicLink(p)) {
                    symlink(target, Files.readSymbolicLink(p).toString(), part);
                } else if (Files.isDirectory(p)) {
                    dir(target, (int) Files.getAttribute(p, "unix:mode") & 07777);
                } else {
                    file(target, p, part);
                }
            }
        }
    }

    /** Bytes of regular files per part (every part present, zero when empty). */
    public Map<Part, Long> sizes() throws IOException {
        Map<Part, Long> sizes = new EnumMap<>(Part.class);
        for (Part part : Part.values()) {
            sizes.put(part, 0L);
        }
        for (Placed placed : entries.values()) {
            if (placed.entry instanceof ImageEntry.File file) {
                sizes.merge(placed.part, Files.size(file.source()), Long::sum);
            }
        }
        return sizes;
    }

    public List<ImageEntry> entries() {
        return entries.values().stream().map(Placed::entry).toList();
    }

    /** The canonical image path of {@code name}: parents resolved through the image's symlinks. */
    public String resolve(String name, boolean followLast) throws IOException {
        if (!name.startsWith("/")) {
            throw new IOException("image path '" + name + "' is not absolute");
        }
        return walk(name, "image path " + name, (next, last) -> {
            Placed placed = entries.get(next);
            return placed != null && placed.entry instanceof ImageEntry.Symlink link && (followLast || !last) ? link.target() : null;
        });
    }

    /** What a path walk does at each component: returns the target of a symlink to follow there, or null. */
    private interface Step {
        String at(String path, boolean last) throws IOException;
    }

    /**
     * Walks {@code path} component by component as the kernel resolves it: ".." goes up, a symlink that
     * {@code step} reports is replaced by its target (from the root when absolute), at most
     * {@link #MAX_SYMLINKS} times. Returns the path reached.
     */
    private static String walk(String path, String what, Step step) throws IOException {
        Deque<String> todo = new ArrayDeque<>(components(path));
        String current = "";
        int links = 0;
        while (!todo.isEmpty()) {
            String component = todo.pop();
            if (component.equals("..")) {
                current = parent(current);
                continue;
            }
            String next = current + "/" + component;
            String target = step.at(next, todo.isEmpty());
            if (target == null) {
                current = next;
                continue;
            }
            if (++links > MAX_SYMLINKS) {
                throw new IOException(what + ": too many levels of symbolic links");
            }
            List<String> targetComponents = components(target);
            for (int i = targetComponents.size() - 1; i >= 0; i--) {
                todo.push(targetComponents.get(i));
            }
            if (target.startsWith("/")) {
                current = "";
            }
        }
        return current.isEmpty() ? "/" : current;
    }

    private void place(ImageEntry entry, Part part) throws IOException {
        String name = entry.name();
        if (name.equals("/")) {
            return; // the archive's root exists already
        }
        String parent = parent(name);
        if (!parent.isEmpty()) {
            Placed above = entries.get(parent);
            if (above == null) {
                place(new ImageEntry.Dir(parent, 0755), Part.BASE);
            } else if (!(above.entry instanceof ImageEntry.Dir)) {
                throw new IOException("image path " + name + ": its parent is already " + above.entry.line());
            }
        }
        Placed existing = entries.get(name);
        if (existing == null) {
            entries.put(name, new Placed(entry, part));
        } else if (!existing.entry.equals(entry)) {
            throw new IOException("image path " + name + " wanted twice: '" + existing.entry.line() + "' and '" + entry.line() + "'");
        }
    }

    private static List<String> components(String path) {
        List<String> result = new ArrayList<>();
        for (String c : path.split("/")) {
            if (!c.isEmpty() && !c.equals(".")) {
                result.add(c);
            }
        }
        return result;
    }

    private static String parent(String path) {
        int slash = path.lastIndexOf('/');
        return slash <= 0 ? "" : path.substring(0, slash);
    }

    /** The permission bits of a host file as a mode (the enum runs OWNER_READ .. OTHERS_EXECUTE, high bit first). */
    private static int permissions(Path file) throws IOException {
        int mode = 0;
        for (PosixFilePermission p : Files.getPosixFilePermissions(file)) {
            mode |= 0400 >> p.ordinal();
        }
        return mode;
    }

    /** The inverse: a mode's permission bits (setuid/setgid/sticky are not expressible and dropped). */
    static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> result = EnumSet.noneOf(PosixFilePermission.class);
        for (PosixFilePermission p : PosixFilePermission.values()) {
            if ((mode & (0400 >> p.ordinal())) != 0) {
                result.add(p);
            }
        }
        return result;
    }
}
