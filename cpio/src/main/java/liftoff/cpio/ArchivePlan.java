package liftoff.cpio;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import liftoff.sys.Stat;

/**
 * The entries of one archive before they are written, from a directory tree or a gen_init_cpio spec.
 * Writing assigns stable inode numbers in order, gives every hard-link group one inode and its member
 * count as nlink, puts the group's data on its last member (as GNU cpio and gen_init_cpio do), and
 * applies the owner override and the SOURCE_DATE_EPOCH clamp. Holds metadata only, never file data.
 */
public final class ArchivePlan {
    private record Item(Entry entry, Path source, byte[] body, Object linkKey) {}

    private final List<Item> items = new ArrayList<>();
    private long[] owner;
    private Long clampMtime;

    /** Every entry gets this uid and gid (--owner 0:0). */
    public ArchivePlan owner(long uid, long gid) {
        this.owner = new long[] {uid, gid};
        return this;
    }

    /** No mtime is later than this (SOURCE_DATE_EPOCH): same input, same bytes. */
    public ArchivePlan clampMtime(long epochSeconds) {
        this.clampMtime = epochSeconds;
        return this;
    }

    /** A directory, device node, FIFO or socket: {@code entry} says which. */
    public void add(Entry entry) {
        items.add(new Item(entry, null, null, null));
    }

    public void addSymlink(Entry entry, byte[] target) {
        items.add(new Item(entry.withSize(target.length), null, target, null));
    }

    /**
     * A regular file whose data is read from {@code source} when written.
     *
     * @param linkKey equal keys make a hard-link group (e.g. the source's (dev, ino)); null for none
     */
    public void addFile(Entry entry, Path source, Object linkKey) {
        items.add(new Item(entry, source, null, linkKey));
    }

    /**
     * A regular file read from {@code source}, with the size and mtime it has now; {@code alsoNamed}
     * are more names of the same file, which make one hard-link group with it.
     */
    public void addFileFrom(byte[] name, int permissions, long uid, long gid, Path source, List<byte[]> alsoNamed)
            throws IOException {
        BasicFileAttributes a = Files.readAttributes(source, BasicFileAttributes.class);
        if (!a.isRegularFile()) throw new FileSystemException(source.toString(), null, "not a regular file");
        long mtime = a.lastModifiedTime().toMillis() / 1000;
        Object group = alsoNamed.isEmpty() ? null : new Object();
        addFile(Entry.of(name, Stat.S_IFREG | permissions, uid, gid, mtime, a.size()), source, group);
        for (byte[] link : alsoNamed) {
            addFile(Entry.of(link, Stat.S_IFREG | permissions, uid, gid, mtime, a.size()), source, group);
        }
    }

    public int size() {
        return items.size();
    }

    /** Writes every entry; the caller finishes the archive. */
    public void writeTo(CpioWriter w) throws IOException {
        Map<Object, Long> groupSize = new HashMap<>();
        Map<Object, Integer> lastMember = new HashMap<>();
        for (int i = 0; i < items.size(); i++) {
            Object key = items.get(i).linkKey;
            if (key == null) continue;
            groupSize.merge(key, 1L, Long::sum);
            lastMember.put(key, i);
        }
        Map<Object, Long> groupIno = new HashMap<>();
        long nextIno = 1;
        for (int i = 0; i < items.size(); i++) {
            Item it = items.get(i);
            Entry e = it.entry;
            long ino;
            long nlink = e.nlink();
            long size = e.size();
            if (it.linkKey != null && groupSize.get(it.linkKey) > 1) {
                Long known = groupIno.get(it.linkKey);
                ino = known != null ? known : nextIno++;
                groupIno.put(it.linkKey, ino);
                nlink = groupSize.get(it.linkKey);
                if (lastMember.get(it.linkKey) != i) size = 0;
            } else {
                ino = nextIno++;
            }
            long uid = owner != null ? owner[0] : e.uid();
            long gid = owner != null ? owner[1] : e.gid();
            long mtime = clampMtime != null ? Math.min(e.mtime(), clampMtime) : e.mtime();
            Entry out = new Entry(e.name(), ino, e.mode(), uid, gid, nlink, mtime, size, 0, 0, e.rdevMajor(), e.rdevMinor());
            if (it.body != null) w.add(out, it.body);
            else if (it.source != null && size > 0) w.add(out, it.source);
            else w.add(out);
        }
    }
}
