package liftoff.cpio;

/** A header's numeric fields, decoded from newc/crc hex or odc octal; {@code bad} names a field that is not a number. */
final class Fields {
    long ino, mode, uid, gid, nlink, mtime, size, namesize, check;
    int devMajor, devMinor, rdevMajor, rdevMinor;
    String bad;

    private static final String[] NEWC = {"ino", "mode", "uid", "gid", "nlink", "mtime", "filesize",
        "devmajor", "devminor", "rdevmajor", "rdevminor", "namesize", "check"};

    static Fields newc(byte[] h) {
        Fields f = new Fields();
        long[] v = new long[13];
        for (int i = 0; i < 13 && f.bad == null; i++) {
            v[i] = number(h, 6 + 8 * i, 8, 16);
            if (v[i] < 0) f.bad = NEWC[i];
        }
        f.ino = v[0]; f.mode = v[1]; f.uid = v[2]; f.gid = v[3]; f.nlink = v[4]; f.mtime = v[5]; f.size = v[6];
        f.devMajor = (int) v[7]; f.devMinor = (int) v[8]; f.rdevMajor = (int) v[9]; f.rdevMinor = (int) v[10];
        f.namesize = v[11]; f.check = v[12];
        return f;
    }

    /** odc: dev ino mode uid gid nlink rdev (6 octal digits each), mtime (11), namesize (6), filesize (11). */
    static Fields odc(byte[] h) {
        Fields f = new Fields();
        int[] widths = {6, 6, 6, 6, 6, 6, 6, 11, 6, 11};
        String[] names = {"dev", "ino", "mode", "uid", "gid", "nlink", "rdev", "mtime", "namesize", "filesize"};
        long[] v = new long[10];
        for (int i = 0, off = 6; i < 10 && f.bad == null; off += widths[i], i++) {
            v[i] = number(h, off, widths[i], 8);
            if (v[i] < 0) f.bad = names[i];
        }
        f.devMajor = (int) (v[0] >>> 8); f.devMinor = (int) (v[0] & 0xff);
        f.ino = v[1]; f.mode = v[2]; f.uid = v[3]; f.gid = v[4]; f.nlink = v[5];
        f.rdevMajor = (int) (v[6] >>> 8); f.rdevMinor = (int) (v[6] & 0xff);
        f.mtime = v[7]; f.namesize = v[8]; f.size = v[9];
        return f;
    }

    /** The field as a number in {@code radix}, or -1 when a character is not a digit. */
    private static long number(byte[] h, int off, int len, int radix) {
        long v = 0;
        for (int i = off; i < off + len; i++) {
            int d = Character.digit(h[i], radix);
            if (d < 0) return -1;
            v = v * radix + d;
        }
        return v;
    }
}
