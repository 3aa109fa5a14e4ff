package liftoff.cpio;

import static liftoff.sys.Stat.S_IFBLK;
import static liftoff.sys.Stat.S_IFCHR;
import static liftoff.sys.Stat.S_IFDIR;
import static liftoff.sys.Stat.S_IFLNK;
import static liftoff.sys.Stat.S_IFMT;
import static liftoff.sys.Stat.S_IFREG;

/**
 * One cpio header. The name is raw bytes (no trailing NUL): names need not be UTF-8 and are kept
 * byte for byte. {@code size} is the body length: file data, or a symlink's target.
 */
public record Entry(byte[] name, long ino, int mode, long uid, long gid, long nlink, long mtime, long size,
                    int devMajor, int devMinor, int rdevMajor, int rdevMinor) {

    /** The name that ends an archive. */
    static final byte[] TRAILER = Names.bytes("TRAILER!!!");

    public int type() {
        return mode & S_IFMT;
    }

    public int permissions() {
        return mode & 07777;
    }

    public boolean isRegular() {
        return type() == S_IFREG;
    }

    public boolean isDirectory() {
        return type() == S_IFDIR;
    }

    public boolean isSymlink() {
        return type() == S_IFLNK;
    }

    public boolean isDevice() {
        return type() == S_IFCHR || type() == S_IFBLK;
    }

    /** Regular files with nlink > 1 are members of a hard-link group keyed by (ino, dev). */
    public boolean isHardLinked() {
        return isRegular() && nlink > 1;
    }

    public String nameString() {
        return Names.printable(name);
    }

    /** A copy with another body size; the writer uses it to move hard-link data to the last member. */
    public Entry withSize(long newSize) {
        return new Entry(name, ino, mode, uid, gid, nlink, mtime, newSize, devMajor, devMinor, rdevMajor, rdevMinor);
    }

    /** An entry with the fields a writer chooses left at zero: ino, nlink and dev are assigned on write. */
    public static Entry of(byte[] name, int mode, long uid, long gid, long mtime, long size) {
        return new Entry(name, 0, mode, uid, gid, 1, mtime, size, 0, 0, 0, 0);
    }

    /** A character or block device, FIFO or socket; only devices use the rdev numbers. */
    public static Entry node(byte[] name, int mode, long uid, long gid, long mtime, int rdevMajor, int rdevMinor) {
        return new Entry(name, 0, mode, uid, gid, 1, mtime, 0, 0, 0, rdevMajor, rdevMinor);
    }
}
