package liftoff.cpio;

import liftoff.sys.Stat;

/** Mode bits as people read them. */
public final class Modes {
    private Modes() {}

    public static String typeName(int mode) {
        return switch (mode & Stat.S_IFMT) {
            case Stat.S_IFREG -> "file";
            case Stat.S_IFDIR -> "directory";
            case Stat.S_IFLNK -> "symlink";
            case Stat.S_IFCHR -> "character device";
            case Stat.S_IFBLK -> "block device";
            case Stat.S_IFIFO -> "FIFO";
            case Stat.S_IFSOCK -> "socket";
            default -> "unknown type";
        };
    }

    /** The {@code ls -l} string, e.g. "drwxr-xr-x" or "-rwsr-xr-x". */
    public static String string(int mode) {
        char type = switch (mode & Stat.S_IFMT) {
            case Stat.S_IFDIR -> 'd';
            case Stat.S_IFLNK -> 'l';
            case Stat.S_IFCHR -> 'c';
            case Stat.S_IFBLK -> 'b';
            case Stat.S_IFIFO -> 'p';
            case Stat.S_IFSOCK -> 's';
            default -> '-';
        };
        StringBuilder sb = new StringBuilder(10).append(type);
        String rwx = "rwxrwxrwx";
        for (int i = 0; i < 9; i++) sb.append((mode & (0400 >> i)) != 0 ? rwx.charAt(i) : '-');
        special(sb, 3, mode & 04000, 's');
        special(sb, 6, mode & 02000, 's');
        special(sb, 9, mode & 01000, 't');
        return sb.toString();
    }

    private static void special(StringBuilder sb, int at, int bit, char c) {
        if (bit == 0) return;
        sb.setCharAt(at, sb.charAt(at) == '-' ? Character.toUpperCase(c) : c);
    }
}
