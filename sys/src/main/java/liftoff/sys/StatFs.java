package liftoff.sys;

/** What statfs(2) says about a filesystem; {@code type} is the f_type magic. */
public record StatFs(long type, long blockSize, long blocks, long blocksFree, long blocksAvailable) {
    public static final long RAMFS_MAGIC = 0x858458f6L;
    public static final long TMPFS_MAGIC = 0x01021994L;
    public static final long EXT4_SUPER_MAGIC = 0xef53L;
    public static final long PROC_SUPER_MAGIC = 0x9fa0L;
    public static final long SYSFS_MAGIC = 0x62656572L;

    /**
     * True for the filesystems an initramfs lives in: rootfs is a ramfs or a tmpfs instance
     * (and reports that magic), so these are the only ones switch_root may empty.
     */
    public boolean isRamBacked() {
        return type == RAMFS_MAGIC || type == TMPFS_MAGIC;
    }

    /** A readable name for the magics liftoff cares about, else the magic in hex. */
    public String typeName() {
        if (type == RAMFS_MAGIC) return "ramfs";
        if (type == TMPFS_MAGIC) return "tmpfs";
        if (type == EXT4_SUPER_MAGIC) return "ext2/3/4";
        if (type == PROC_SUPER_MAGIC) return "proc";
        if (type == SYSFS_MAGIC) return "sysfs";
        return "0x" + Long.toHexString(type);
    }
}
