package liftoff.image;

/** What an image entry is for; the size summary adds up file sizes per part. */
public enum Part {
    /** Directories and device nodes every image has. */
    BASE,
    /** The jlink runtime under /jre. */
    RUNTIME,
    /** The dynamic loader and shared libraries the runtime (and a dynamic rescue shell) needs. */
    LIBRARIES,
    /** Kernel modules and their index files. */
    MODULES,
    FIRMWARE,
    /** /init (launcher line + jar) and /jvm.args. */
    INIT,
    /** Root filesystem checkers (FSCK) and the libraries only they need. */
    FSCK,
    /** busybox and its applet links. */
    RESCUE,
    /** Files from INCLUDE. */
    EXTRA
}
