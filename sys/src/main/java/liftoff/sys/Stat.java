package liftoff.sys;

/**
 * What statx(2) says about a file; {@code dev} and {@code rdev} are encoded like the kernel's dev_t.
 * {@code mountId} identifies the mount the file was reached through (-1 on kernels before 5.8):
 * unlike st_dev it tells a bind mount from the filesystem it was bound from.
 */
public record Stat(long dev, long ino, int mode, long nlink, int uid, int gid, long size, long rdev,
                   long mtimeSeconds, int mtimeNanos, long mountId) {
    public static final int S_IFMT = 0170000;
    public static final int S_IFSOCK = 0140000;
    public static final int S_IFLNK = 0120000;
    public static final int S_IFREG = 0100000;
    public static final int S_IFBLK = 0060000;
    public static final int S_IFDIR = 0040000;
    public static final int S_IFCHR = 0020000;
    public static final int S_IFIFO = 0010000;

    public boolean isDirectory() {
        return (mode & S_IFMT) == S_IFDIR;
    }

    public boolean isSymlink() {
        return (mode & S_IFMT) == S_IFLNK;
    }

    public boolean isRegularFile() {
        return (mode & S_IFMT) == S_IFREG;
    }

    /**
     * Whether this file and {@code other} were reached through the same mount: the same device and,
     * where the kernel reports mount ids (5.8+), the same mount. The id also tells a bind mount from
     * the filesystem it was bound from, which the device cannot.
     */
    public boolean sameMount(Stat other) {
        return dev == other.dev && (mountId < 0 || other.mountId < 0 || mountId == other.mountId);
    }

    /** The permission bits, without the file type. */
    public int permissions() {
        return mode & 07777;
    }

    /** The dev_t encoding glibc's makedev(3) uses: 12 bits of major and 20 of minor, split. */
    public static long makedev(int major, int minor) {
        long ma = major & 0xffffffffL;
        long mi = minor & 0xffffffffL;
        return ((ma & 0xfffff000L) << 32) | ((ma & 0xfffL) << 8) | ((mi & 0xffffff00L) << 12) | (mi & 0xffL);
    }

    public static int major(long dev) {
        return (int) (((dev >>> 32) & 0xfffff000L) | ((dev >>> 8) & 0xfffL));
    }

    public static int minor(long dev) {
        return (int) (((dev >>> 12) & 0xffffff00L) | (dev & 0xffL));
    }
}
