package liftoff.sys;

/**
 * A failed system call: the errno and the call with its arguments, in one line that a person at a
 * rescue console can act on, e.g. {@code mount("/dev/vda", "/newroot", "ext4"): ENXIO (No such
 * device or address)}.
 */
public final class SyscallException extends RuntimeException {
    private final int errno;
    private final String call;

    public SyscallException(int errno, String call) {
        super(call + ": " + Errno.name(errno) + " (" + Errno.describe(errno) + ")");
        this.errno = errno;
        this.call = call;
    }

    /** The raw errno value, to compare with the constants in {@link Errno}. */
    public int errno() {
        return errno;
    }

    /** The symbolic name, e.g. {@code ENOENT}. */
    public String errnoName() {
        return Errno.name(errno);
    }

    /** The call as written in the message, e.g. {@code umount2("/proc", MNT_DETACH)}. */
    public String call() {
        return call;
    }
}
