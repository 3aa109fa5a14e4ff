package liftoff.cpio;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import liftoff.sys.Stat;

/** Test helper: a directory tree as comparable text, one line per path (type, mode, size, data, target, links, mtime). */
final class Trees {
    private Trees() {}

    static Map<String, String> describe(Path root, boolean withMtimes) throws IOException {
        Map<String, String> out = new TreeMap<>();
        Map<Object, String> firstName = new HashMap<>();
        List<Path> all = new ArrayList<>();
        try (Stream<Path> s = Files.walk(root)) {
            s.filter(p -> !p.equals(root)).sorted().forEach(all::add);
        }
        for (Path p : all) {
            String rel = root.relativize(p).toString();
            Map<String, Object> a = Files.readAttributes(p, "unix:mode,nlink,size,lastModifiedTime,fileKey,rdev", LinkOption.NOFOLLOW_LINKS);
            int mode = (Integer) a.get("mode");
            StringBuilder d = new StringBuilder(Modes.string(mode));
            if (Files.isSymbolicLink(p)) {
                d.append(" -> ").append(Files.readSymbolicLink(p));
            } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                d.append(" size=").append(a.get("size")).append(" data=").append(java.util.Arrays.hashCode(Files.readAllBytes(p)));
                String first = firstName.putIfAbsent(a.get("fileKey"), rel);
                if (first != null) d.append(" hardlink-of=").append(first);
            } else if ((mode & Stat.S_IFMT) == Stat.S_IFCHR || (mode & Stat.S_IFMT) == Stat.S_IFBLK) {
                d.append(" rdev=").append(a.get("rdev"));
            }
            if (withMtimes) d.append(" mtime=").append(((FileTime) a.get("lastModifiedTime")).toMillis() / 1000);
            out.put(rel, d.toString());
        }
        return out;
    }

    /** "café" in Latin-1: a name that is not UTF-8. */
    static final byte[] LATIN1 = {'c', 'a', 'f', (byte) 0xe9};

    /** A tree with a bit of everything a user-space tree can hold without root, a name that is not UTF-8 included. */
    static void sample(Path root) throws IOException, InterruptedException {
        Files.createDirectories(root.resolve("usr/bin"));
        Files.createDirectories(root.resolve("etc/empty.d"));
        Files.writeString(root.resolve("usr/bin/tool"), "#!/bin/sh\necho hi\n");
        Files.setAttribute(root.resolve("usr/bin/tool"), "unix:mode", 04755);
        Files.createLink(root.resolve("usr/bin/tool2"), root.resolve("usr/bin/tool"));
        Files.createLink(root.resolve("etc/tool3"), root.resolve("usr/bin/tool"));
        Files.write(root.resolve("etc/empty"), new byte[0]);
        Files.writeString(root.resolve("etc").resolve(FsNames.path(LATIN1)), "latin-1 name");
        Files.write(root.resolve("etc/data"), Archives.repeat(Archives.name("0123456789"), 100_000));
        Files.createSymbolicLink(root.resolve("bin"), Path.of("usr/bin"));
        Files.createSymbolicLink(root.resolve("etc/dangling"), Path.of("/nonexistent/target"));
        Path fifo = root.resolve("etc/fifo");
        new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor();
        new ProcessBuilder("touch", "-h", "-d", "@1500000000", fifo.toString()).start().waitFor();
        Files.createDirectories(root.resolve("ro"));
        Files.writeString(root.resolve("ro/file"), "read only dir");
        Files.setAttribute(root.resolve("ro"), "unix:mode", 0555);
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.toList()) {
                if (p.endsWith("fifo")) continue;  // NIO would open it and block: see NodeFiles
                Files.getFileAttributeView(p, java.nio.file.attribute.BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                        .setTimes(FileTime.fromMillis(1_600_000_000_000L + p.toString().length() * 1000L), null, null);
            }
        }
    }
}
