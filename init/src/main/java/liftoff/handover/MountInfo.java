package liftoff.handover;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import liftoff.sys.Fs;
import liftoff.sys.Stat;
import liftoff.sys.SyscallException;

/**
 * The mounts this process can see, from /proc/self/mountinfo (mount points are relative to the
 * process's root, so a chroot sees its own view).
 */
public record MountInfo(int id, int parentId, String mountPoint, String fsType, String source) {
    private static final Path SELF = Path.of("/proc/self/mountinfo");

    /** The current mount table, or an empty list when /proc is not mounted. */
    public static List<MountInfo> read() {
        if (!Files.isReadable(SELF)) return List.of();
        try {
            return parse(Files.readString(SELF, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return List.of();
        }
    }

    /**
     * Parses mountinfo text: {@code 36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw}.
     * Fields before the "-" separator vary in number (optional tags), so the tail is found by it.
     */
    public static List<MountInfo> parse(String text) {
        List<MountInfo> mounts = new ArrayList<>();
        for (String line : text.split("\n")) {
            String[] f = line.split(" ");
            int dash = -1;
            for (int i = 6; i < f.length; i++) {
                if (f[i].equals("-")) {
                    dash = i;
                    break;
                }
            }
            if (f.length < 7 || dash < 0 || dash + 2 >= f.length) continue;
            mounts.add(new MountInfo(Integer.parseInt(f[0]), Integer.parseInt(f[1]), unescape(f[4]), f[dash + 1],
                    unescape(f[dash + 2])));
        }
        return mounts;
    }

    /** True when {@code path} (absolute, normalised) is a mount point in {@code mounts}. */
    public static boolean isMountPoint(List<MountInfo> mounts, String path) {
        for (MountInfo m : mounts) if (m.mountPoint.equals(path)) return true;
        return false;
    }

    /**
     * Whether {@code path} is a mount point: on another mount than its parent directory (two statx
     * calls). On kernels without mount ids a bind mount from the same filesystem shows only in the
     * mount table, so only then is it read. A path that does not exist is no mount point.
     */
    public static boolean isMountPoint(String path) {
        Path p = Path.of(path).toAbsolutePath().normalize();
        Path parent = p.getParent() == null ? p : p.getParent();
        Stat self;
        try {
            self = Fs.lstat(p.toString());
            if (!self.sameMount(Fs.lstat(parent.toString()))) return true;
        } catch (SyscallException e) {
            return false;
        }
        return self.mountId() < 0 && isMountPoint(read(), p.toString());
    }

    /** The kernel escapes space, tab, newline and backslash in paths as \040 \011 \012 \134. */
    static String unescape(String field) {
        if (field.indexOf('\\') < 0) return field;
        StringBuilder out = new StringBuilder(field.length());
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && isOctal(field, i + 1)) {
                out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static boolean isOctal(String s, int from) {
        if (from + 3 > s.length()) return false;
        for (int i = from; i < from + 3; i++) if (s.charAt(i) < '0' || s.charAt(i) > '7') return false;
        return true;
    }
}
