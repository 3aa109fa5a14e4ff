package liftoff.cpio;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import liftoff.sys.Errno;
import liftoff.sys.Stat;

/**
 * The kernel's gen_init_cpio input format (usr/gen_init_cpio.c), so images can hold device nodes
 * and root-owned files without root:
 * <pre>
 * file  NAME LOCATION MODE UID GID [HARDLINK...]
 * dir   NAME MODE UID GID
 * nod   NAME MODE UID GID b|c MAJ MIN
 * slink NAME TARGET MODE UID GID
 * pipe  NAME MODE UID GID
 * sock  NAME MODE UID GID
 * </pre>
 * Fields are separated by blanks; lines starting with # are comments. MODE is octal. As in
 * gen_init_cpio, a leading "/" of NAME is dropped. Names are bytes: a spec may name files that are not
 * UTF-8. Entries other than files get mtime {@code defaultMtime} (gen_init_cpio's -t); files keep
 * their LOCATION's mtime. LOCATION is relative to the current directory.
 */
public final class Spec {
    private Spec() {}

    /** Adds every line of the spec at {@code file} to {@code plan}. */
    public static void addSpec(ArchivePlan plan, Path file, long defaultMtime) throws IOException {
        // ISO-8859-1 maps bytes to chars one to one, so fields convert back to the exact bytes.
        List<String> lines = Arrays.asList(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1).split("\n", -1));
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            try {
                addLine(plan, line.split("[ \t]+"), defaultMtime);
            } catch (IllegalArgumentException e) {
                throw new IOException(file + ":" + (i + 1) + ": " + e.getMessage());
            } catch (FileSystemException e) {  // a LOCATION that cannot be read: the line naming it is what to fix
                throw new IOException(file + ":" + (i + 1) + ": " + e.getFile() + ": " + Errno.reason(e), e);
            }
        }
    }

    private static void addLine(ArchivePlan plan, String[] f, long mtime) throws IOException {
        switch (f[0]) {
            case "file" -> {
                need(f, 6, "file NAME LOCATION MODE UID GID [HARDLINK...]");
                List<byte[]> links = new ArrayList<>();
                for (int k = 6; k < f.length; k++) links.add(name(f[k]));
                plan.addFileFrom(name(f[1]), mode(f[3]), id(f[4]), id(f[5]), FsNames.path(bytes(f[2])), links);
            }
            case "dir" -> {
                need(f, 5, "dir NAME MODE UID GID");
                plan.add(new Entry(name(f[1]), 0, Stat.S_IFDIR | mode(f[2]), id(f[3]), id(f[4]), 2, mtime, 0, 0, 0, 0, 0));
            }
            case "nod" -> {
                need(f, 8, "nod NAME MODE UID GID b|c MAJ MIN");
                int type = switch (f[5]) {
                    case "b" -> Stat.S_IFBLK;
                    case "c" -> Stat.S_IFCHR;
                    default -> throw new IllegalArgumentException("device type must be b or c, not " + f[5]);
                };
                plan.add(Entry.node(name(f[1]), type | mode(f[2]), id(f[3]), id(f[4]), mtime, (int) id(f[6]), (int) id(f[7])));
            }
            case "slink" -> {
                need(f, 6, "slink NAME TARGET MODE UID GID");
                plan.addSymlink(Entry.of(name(f[1]), Stat.S_IFLNK | mode(f[3]), id(f[4]), id(f[5]), mtime, 0), bytes(f[2]));
            }
            case "pipe" -> {
                need(f, 5, "pipe NAME MODE UID GID");
                plan.add(Entry.node(name(f[1]), Stat.S_IFIFO | mode(f[2]), id(f[3]), id(f[4]), mtime, 0, 0));
            }
            case "sock" -> {
                need(f, 5, "sock NAME MODE UID GID");
                plan.add(Entry.node(name(f[1]), Stat.S_IFSOCK | mode(f[2]), id(f[3]), id(f[4]), mtime, 0, 0));
            }
            default -> throw new IllegalArgumentException("unknown type \"" + f[0] + "\" (file, dir, nod, slink, pipe, sock)");
        }
    }

    private static void need(String[] f, int fields, String usage) {
        boolean ok = f[0].equals("file") ? f.length >= fields : f.length == fields;
        if (!ok) throw new IllegalArgumentException("expected: " + usage);
    }

    private static byte[] bytes(String field) {
        return field.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] name(String field) {
        byte[] b = bytes(field);
        int skip = b.length > 1 && b[0] == '/' ? 1 : 0;
        if (b.length - skip > CpioReader.PATH_MAX - 1) throw new IllegalArgumentException("name longer than PATH_MAX");
        return Arrays.copyOfRange(b, skip, b.length);
    }

    private static int mode(String field) {
        try {
            int m = Integer.parseInt(field, 8);
            if (m >= 0 && m <= 07777) return m;
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException("mode must be octal 0..7777, not " + field);
    }

    private static long id(String field) {
        try {
            long v = Long.parseLong(field);
            if (v >= 0 && v <= 0xffffffffL) return v;
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException("expected a number 0..4294967295, not " + field);
    }
}
