package liftoff.sys;

import java.nio.charset.StandardCharsets;

/** One record of getdents64(2). The name is raw bytes: Linux file names need not be UTF-8. */
public record DirEntry(long ino, int type, byte[] name) {
    public static final int DT_UNKNOWN = 0;
    public static final int DT_DIR = 4;
    public static final int DT_REG = 8;
    public static final int DT_LNK = 10;

    public boolean isDotOrDotDot() {
        return (name.length == 1 && name[0] == '.') || (name.length == 2 && name[0] == '.' && name[1] == '.');
    }

    /** The name for messages; bytes that are not UTF-8 show as U+FFFD. */
    public String displayName() {
        return new String(name, StandardCharsets.UTF_8);
    }
}
