package liftoff.cpio;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.function.Predicate;
import liftoff.sys.Errno;
import liftoff.sys.Stat;

/**
 * Unpacks an image into a directory, safely:
 * <ul>
 * <li>every name is normalized by {@link SafeName}: nothing lands outside the destination;</li>
 * <li>parent directories are checked with lstat, never followed when they are symlinks (one made earlier
 *     in the same archive included), and created when missing;</li>
 * <li>each entry is made under a temporary name in its directory and renamed into place, so a failure
 *     never leaves a partial file under its final name, and a later duplicate replaces an earlier one as
 *     the kernel does;</li>
 * <li>device nodes only as root; owners restored only as root; modes and mtimes always, directories last.</li>
 * </ul>
 * A failure of the destination is a FileSystemException naming the entry's path under it (a full disk:
 * {@code DEST/usr/bin/x: No space left on device}); a failure of the image is any other IOException.
 * Hard links follow the kernel: members share (ino, dev) and nlink &gt; 1 within one archive, and the data
 * may come with any member (newc puts it on the last).
 */
public final class Extractor {
    private static final int BUFFER = 1 << 20;
    private static final byte[] ZEROS = new byte[64 * 1024];

    private final Path dest;
    private final boolean root;
    private Predicate<byte[]> filter = name -> true;
    private Consumer<String> warnings = w -> { };

    private final byte[] buf = new byte[BUFFER];
    /** Directories already checked to be real directories (not symlinks), as paths relative to dest. */
    private final Set<Path> verified = new HashSet<>();
    /** Directory metadata applied at the end, after their contents changed their mtimes. */
    private final Map<Path, Entry> directories = new LinkedHashMap<>();
    /** Hard-link groups of the current archive: (ino, dev) to the paths made so far. */
    private final Map<List<Long>, List<Path>> links = new HashMap<>();
    private int linkArchive = -1;
    private long extracted;

    public Extractor(Path dest) {
        this.dest = dest;
        this.root = Privileges.isRoot();
    }

    /** Extracts only entries whose normalized name passes; default: all. */
    public Extractor filter(Predicate<byte[]> filter) {
        this.filter = filter;
        return this;
    }

    /** Receives one line per entry skipped for a reason the user should know (a device node without root). */
    public Extractor warnings(Consumer<String> warnings) {
        this.warnings = warnings;
        return this;
    }

    /**
     * Creates {@code dest} and its missing parents unless it is a directory already, as {@link #extract}
     * does first; the FileSystemException when it cannot be one says why (a file is in the way, its
     * parent cannot hold directories, no permission).
     */
    public static void createDestination(Path dest) throws IOException {
        try {
            Files.createDirectories(dest);
        } catch (FileAlreadyExistsException notADirectory) {
            throw new NotDirectoryException(dest.toString());
        }
    }

    /** Extracts every entry of {@code image}; returns the number of entries written. */
    public long extract(ImageReader image) throws IOException {
        createDestination(dest);
        for (Entry e; (e = image.next()) != null; ) {
            byte[] name;
            try {
                name = SafeName.normalize(e.name());
            } catch (IllegalArgumentException unsafe) {
                throw image.entryError(e.name(), unsafe.getMessage());
            }
            if (name.length == 0 || !filter.test(name)) continue;
            if (image.archiveNumber() != linkArchive) {  // the kernel forgets links at each TRAILER!!!
                links.clear();
                linkArchive = image.archiveNumber();
            }
            Path rel = FsNames.path(name);
            try {
                extractOne(image, e, rel);
            } catch (CpioFormatException x) {
                throw x;
            } catch (FileSystemException x) {  // the destination's: named for the entry, not for its temporary file
                throw failure(dest.resolve(rel), Errno.reason(x), x);
            } catch (IOException x) {  // reading the image's body failed
                throw new IOException("entry \"" + Names.printable(name) + "\": " + x.getMessage(), x);
            }
        }
        finishDirectories();
        return extracted;
    }

    private void extractOne(ImageReader image, Entry e, Path rel) throws IOException {
        Path parent = rel.getParent();
        if (parent != null) ensureDirectory(parent);
        Path target = dest.resolve(rel);
        switch (e.type()) {
            case Stat.S_IFDIR -> {
                makeDirectory(rel, target);
                directories.put(rel, e);
            }
            case Stat.S_IFREG -> file(image, e, rel, target);
            case Stat.S_IFLNK -> {
                Path link = FsNames.path(image.smallBody());
                place(target, e, tmp -> Files.createSymbolicLink(tmp, link));
            }
            default -> {
                if (e.isDevice() && !root) {
                    warnings.accept("skipped " + Modes.typeName(e.mode()) + " \"" + Names.printable(e.name()) + "\" (needs root)");
                    return;
                }
                place(target, e, tmp -> NodeFiles.mknod(tmp, e.mode(), e.rdevMajor(), e.rdevMinor()));
            }
        }
        extracted++;
    }

    private void file(ImageReader image, Entry e, Path rel, Path target) throws IOException {
        if (!e.isHardLinked()) {
            place(target, e, tmp -> writeBody(tmp, image.body(), e.size()));
            return;
        }
        List<Path> group = links.computeIfAbsent(List.of(e.ino(), (long) e.devMajor(), (long) e.devMinor()), k -> new ArrayList<>());
        group.remove(target);
        if (group.isEmpty() || e.size() > 0) {
            // The first member, or one carrying the data: make the file, then point the others at it.
            place(target, e, tmp -> writeBody(tmp, image.body(), e.size()));
            for (Path other : group) place(other, e, tmp -> Files.createLink(tmp, target));
        } else {
            Path first = group.getFirst();
            place(target, null, tmp -> Files.createLink(tmp, first));
        }
        group.add(target);
    }

    /** Something that makes the new entry at a temporary path. */
    private interface Maker {
        void make(Path tmp) throws IOException;
    }

    /**
     * Makes the entry under a temporary name beside {@code target}, applies its metadata, then renames
     * it over whatever {@code target} was. Rename replaces a symlink instead of following it.
     */
    private void place(Path target, Entry meta, Maker maker) throws IOException {
        Path tmp = target.resolveSibling(".liftoff-cpio-" + Long.toHexString(ThreadLocalRandom.current().nextLong()));
        boolean done = false;
        try {
            maker.make(tmp);
            if (meta != null) applyMetadata(tmp, meta);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileSystemException inTheWay) {  // rename(2) does not replace a directory
                clearDirectory(target, inTheWay);
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            }
            done = true;
        } finally {
            if (!done) Files.deleteIfExists(tmp);
        }
    }

    /** An empty directory where a non-directory goes is removed, as the kernel does; anything else is the error it was. */
    private void clearDirectory(Path target, FileSystemException cause) throws IOException {
        BasicFileAttributes a = attributes(target);
        if (a == null || !a.isDirectory()) throw cause;
        try {
            Files.delete(target);
        } catch (DirectoryNotEmptyException x) {
            throw failure(target, "cannot replace a non-empty directory", null);
        }
        Path rel = dest.relativize(target);
        verified.removeIf(p -> p.startsWith(rel));
        directories.keySet().removeIf(p -> p.startsWith(rel));
    }

    private void writeBody(Path tmp, InputStream body, long size) throws IOException {
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            long at = 0;
            for (int n; (n = body.read(buf, 0, buf.length)) > 0; ) {
                writeSparse(ch, tmp, n, at);
                at += n;
            }
            if (at != size) throw new IOException("body ended after " + at + " of " + size + " bytes");
            if (ch.size() < size) write(ch, tmp, ByteBuffer.wrap(new byte[1]), size - 1);  // a trailing hole
        }
    }

    /** Writes buf[0..n) at {@code at}, leaving 64 KiB runs of zeros as holes: sparse files stay sparse. */
    private void writeSparse(FileChannel ch, Path tmp, int n, long at) throws IOException {
        int start = 0;
        while (start < n) {
            int len = Math.min(ZEROS.length, n - start);
            boolean zero = len == ZEROS.length && Arrays.equals(buf, start, start + len, ZEROS, 0, len);
            if (!zero) write(ch, tmp, ByteBuffer.wrap(buf, start, len), at + start);
            start += len;
        }
    }

    /** A channel's write error (a full disk) says nothing of the file: it becomes the destination's failure. */
    private static void write(FileChannel ch, Path file, ByteBuffer data, long at) throws IOException {
        try {
            ch.write(data, at);
        } catch (IOException e) {
            throw failure(file, Errno.reason(e), e);
        }
    }

    private void makeDirectory(Path rel, Path target) throws IOException {
        BasicFileAttributes a = attributes(target);
        if (a != null && !a.isDirectory()) Files.delete(target);
        if (a == null || !a.isDirectory()) Files.createDirectory(target);
        verified.add(rel);
    }

    /** Makes sure each component of {@code rel} is a real directory under dest, creating missing ones. */
    private void ensureDirectory(Path rel) throws IOException {
        if (verified.contains(rel)) return;
        Path parent = rel.getParent();
        if (parent != null) ensureDirectory(parent);
        Path p = dest.resolve(rel);
        BasicFileAttributes a = attributes(p);
        if (a == null) {
            try {
                Files.createDirectory(p);
            } catch (FileAlreadyExistsException raced) {
                throw failure(p, rel + " appeared while extracting", raced);
            }
        } else if (!a.isDirectory()) {
            throw failure(p, "parent " + rel + " is a " + (a.isSymbolicLink() ? "symlink" : "non-directory") + "; refusing to follow it", null);
        }
        verified.add(rel);
    }

    /** A failure of the destination at {@code p}. */
    private static FileSystemException failure(Path p, String reason, Exception cause) {
        FileSystemException e = new FileSystemException(p.toString(), null, reason);
        e.initCause(cause);
        return e;
    }

    private static BasicFileAttributes attributes(Path p) throws IOException {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        }
    }


    /**
     * Owner (root only; first, since chown clears set-id bits), mode (not for symlinks), mtime. NIO for
     * files, directories and symlinks: its first call costs about 1 ms where the first FFM downcall
     * costs about 120 ms. Nodes go through {@link NodeFiles}: NIO would open them.
     */
    private void applyMetadata(Path p, Entry e) throws IOException {
        if (!e.isRegular() && !e.isDirectory() && !e.isSymlink()) {
            NodeFiles.setMetadata(p, e, root);
            return;
        }
        if (root) {
            Files.setAttribute(p, "unix:uid", (int) e.uid(), LinkOption.NOFOLLOW_LINKS);
            Files.setAttribute(p, "unix:gid", (int) e.gid(), LinkOption.NOFOLLOW_LINKS);
        }
        if (!e.isSymlink()) Files.setAttribute(p, "unix:mode", e.permissions(), LinkOption.NOFOLLOW_LINKS);
        Files.getFileAttributeView(p, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                .setTimes(FileTime.fromMillis(e.mtime() * 1000), null, null);
    }

    /** Deepest first, so setting a directory's mtime or a read-only mode comes after everything inside it. */
    private void finishDirectories() throws IOException {
        List<Map.Entry<Path, Entry>> dirs = new ArrayList<>(directories.entrySet());
        dirs.sort((a, b) -> Integer.compare(b.getKey().getNameCount(), a.getKey().getNameCount()));
        for (Map.Entry<Path, Entry> d : dirs) applyMetadata(dest.resolve(d.getKey()), d.getValue());
    }
}
