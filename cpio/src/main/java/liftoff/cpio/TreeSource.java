package liftoff.cpio;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import liftoff.sys.Stat;

/**
 * Adds a directory tree to a plan: the directory's contents become the archive's top level, in
 * byte order of names at every level (so the order never depends on the file system), each directory
 * before what it holds, hard links grouped by the source's (dev, ino).
 */
public final class TreeSource {
    private static final String ATTRIBUTES = "unix:mode,uid,gid,ino,dev,nlink,size,lastModifiedTime,rdev";

    private TreeSource() {}

    public static void addTree(ArchivePlan plan, Path root) throws IOException {
        walk(plan, root, new byte[0]);
    }

    private static void walk(ArchivePlan plan, Path dir, byte[] prefix) throws IOException {
        List<Child> children = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            for (Path p : s) children.add(new Child(p, FsNames.bytes(p.getFileName())));
        }
        children.sort((a, b) -> Arrays.compareUnsigned(a.name, b.name));
        for (Child c : children) {
            byte[] name = join(prefix, c.name);
            Map<String, Object> a = Files.readAttributes(c.path, ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
            int mode = (Integer) a.get("mode");
            long uid = (Integer) a.get("uid");
            long gid = (Integer) a.get("gid");
            long mtime = ((FileTime) a.get("lastModifiedTime")).toMillis() / 1000;
            switch (mode & Stat.S_IFMT) {
                case Stat.S_IFDIR -> {
                    plan.add(new Entry(name, 0, mode, uid, gid, 2, mtime, 0, 0, 0, 0, 0));
                    walk(plan, c.path, name);
                }
                case Stat.S_IFREG -> {
                    long nlink = (Integer) a.get("nlink");
                    Object key = nlink > 1 ? List.of(a.get("dev"), a.get("ino")) : null;
                    plan.addFile(Entry.of(name, mode, uid, gid, mtime, (Long) a.get("size")), c.path, key);
                }
                case Stat.S_IFLNK -> plan.addSymlink(Entry.of(name, mode, uid, gid, mtime, 0),
                        FsNames.bytes(Files.readSymbolicLink(c.path)));
                default -> {
                    long rdev = (Long) a.get("rdev");
                    plan.add(Entry.node(name, mode, uid, gid, mtime, Stat.major(rdev), Stat.minor(rdev)));
                }
            }
        }
    }

    private record Child(Path path, byte[] name) {}

    private static byte[] join(byte[] prefix, byte[] name) {
        if (prefix.length == 0) return name;
        byte[] out = Arrays.copyOf(prefix, prefix.length + 1 + name.length);
        out[prefix.length] = '/';
        System.arraycopy(name, 0, out, prefix.length + 1, name.length);
        return out;
    }
}
