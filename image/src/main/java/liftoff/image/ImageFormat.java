package liftoff.image;

import java.util.Locale;

/**
 * What {@code liftoff build} writes: an initramfs, or the same early userspace for a partition that
 * the kernel mounts as its root (root=/dev/PARTITION init=/init, no initrd), from which the init
 * pivots into the real root and leaves the partition mounted, unwritten.
 */
public enum ImageFormat {
    /** A newc cpio archive: the initramfs. */
    CPIO,
    /** A directory tree, to copy onto a partition (cp -a as root keeps owners and device nodes). */
    DIR,
    /** An ext4 filesystem image (mke2fs -d, no root needed), to write onto a partition with dd. */
    EXT4;

    /** The name on the command line. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Whether the kernel mounts the image as a filesystem, read-only with the kernel's default ro:
     * then nothing may need to write to it before the init has mounted /run and /dev.
     */
    public boolean forPartition() {
        return this != CPIO;
    }

    /** The format called {@code word}; the error lists the formats there are. */
    public static ImageFormat parse(String word) {
        for (ImageFormat format : values()) {
            if (format.word().equals(word)) return format;
        }
        throw new IllegalArgumentException("--format " + word + ": expected cpio, dir or ext4");
    }
}
