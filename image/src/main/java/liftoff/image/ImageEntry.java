package liftoff.image;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import liftoff.cpio.ArchivePlan;
import liftoff.cpio.Entry;
import liftoff.sys.Stat;

/**
 * One thing the image contains, always owned by 0:0, handed to the cpio writer as a value
 * ({@link #addTo}). {@link #line()} says it in gen_init_cpio's words, for messages and the
 * cache key.
 */
public sealed interface ImageEntry {
    /** The absolute path in the image. */
    String name();

    /** The entry as a gen_init_cpio spec line, without the newline. */
    String line();

    /** Adds this entry to {@code archive}; {@code mtime} for entries that have no file of their own. */
    void addTo(ArchivePlan archive, long mtime) throws IOException;

    record Dir(String name, int mode) implements ImageEntry {
        public String line() {
            return "dir " + name + " " + octal(mode) + " 0 0";
        }

        public void addTo(ArchivePlan archive, long mtime) {
            archive.add(new Entry(bytes(name), 0, Stat.S_IFDIR | mode, 0, 0, 2, mtime, 0, 0, 0, 0, 0));
        }
    }

    /** A regular file whose bytes are read from {@code source} on the build host, with its mtime. */
    record File(String name, Path source, int mode) implements ImageEntry {
        public String line() {
            return "file " + name + " " + source + " " + octal(mode) + " 0 0";
        }

        public void addTo(ArchivePlan archive, long mtime) throws IOException {
            archive.addFileFrom(bytes(name), mode, 0, 0, source, List.of());
        }
    }

    record Symlink(String name, String target) implements ImageEntry {
        public String line() {
            return "slink " + name + " " + target + " 0777 0 0";
        }

        public void addTo(ArchivePlan archive, long mtime) {
            byte[] to = target.getBytes(StandardCharsets.UTF_8);
            archive.addSymlink(Entry.of(bytes(name), Stat.S_IFLNK | 0777, 0, 0, mtime, to.length), to);
        }
    }

    /** A device node: {@code type} 'c' (character) or 'b' (block). */
    record Node(String name, int mode, char type, int major, int minor) implements ImageEntry {
        public String line() {
            return "nod " + name + " " + octal(mode) + " 0 0 " + type + " " + major + " " + minor;
        }

        public void addTo(ArchivePlan archive, long mtime) {
            int kind = type == 'b' ? Stat.S_IFBLK : Stat.S_IFCHR;
            archive.add(Entry.node(bytes(name), kind | mode, 0, 0, mtime, major, minor));
        }
    }

    /** The name in the archive: without the leading '/', as the kernel's gen_init_cpio writes it. */
    private static byte[] bytes(String name) {
        return name.substring(1).getBytes(StandardCharsets.UTF_8);
    }

    private static String octal(int mode) {
        return String.format("%04o", mode);
    }
}
