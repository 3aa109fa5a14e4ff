package liftoff.sys;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Optional;

/**
 * The kernel's uevent broadcast: a NETLINK_KOBJECT_UEVENT socket bound to the kernel's multicast
 * group, the same stream udevd reads. Every device the kernel adds, removes or changes arrives as
 * one datagram ({@link Uevent}). Events are queued from the moment the socket is bound, so opening
 * it before walking sysfs means no device can slip between the walk and the wait. Another thread
 * can end a wait early with {@link #wake()} (an eventfd polled beside the socket).
 */
public final class UeventSocket implements AutoCloseable {
    private static final int AF_NETLINK = 16;
    private static final int SOCK_DGRAM = 2;
    private static final int SOCK_CLOEXEC = 02000000;
    private static final int NETLINK_KOBJECT_UEVENT = 15;
    /** The kernel's own group; group 2 is what udevd re-broadcasts to libudev clients. */
    private static final int KERNEL_GROUP = 1;
    private static final int SOL_SOCKET = 1;
    private static final int SO_RCVBUFFORCE = 33;
    private static final short POLLIN = 1;
    private static final int EFD_NONBLOCK = 04000;
    private static final int EFD_CLOEXEC = 02000000;
    /** A boot with many devices sends hundreds of events while nobody reads: room for all of them. */
    private static final int RECEIVE_BUFFER = 4 << 20;
    /** The kernel's UEVENT_BUFFER_SIZE: no event is larger. */
    private static final int MAX_EVENT = 2048;

    private final int fd;
    private final int wakeFd;   // an eventfd: a write makes it readable, which ends a receive()
    private final Arena arena = Arena.ofShared();
    private final MemorySegment buffer = arena.allocate(MAX_EVENT + 1L);
    private boolean closed;   // guarded by this: no wake() may write to a number reused after close()

    private UeventSocket(int fd, int wakeFd) {
        this.fd = fd;
        this.wakeFd = wakeFd;
    }

    /** Opens and binds the socket; the receive buffer is enlarged when allowed (root), else kept. */
    public static UeventSocket open() {
        try (Arena call = Scratch.frame()) {
            MemorySegment errno = Libc.errnoSlot(call);
            long fd = Libc.syscall(errno, Arch.Nr.SOCKET, AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_KOBJECT_UEVENT);
            if (fd < 0) throw Libc.failure(errno, "socket", "AF_NETLINK", "SOCK_DGRAM|SOCK_CLOEXEC", "NETLINK_KOBJECT_UEVENT");
            // struct sockaddr_nl { sa_family_t nl_family; unsigned short nl_pad; __u32 nl_pid; __u32 nl_groups; }
            MemorySegment address = call.allocate(12, 4);
            address.set(JAVA_SHORT, 0, (short) AF_NETLINK);
            address.set(JAVA_INT, 4, 0);   // the kernel picks the port id
            address.set(JAVA_INT, 8, KERNEL_GROUP);
            if (Libc.syscall(errno, Arch.Nr.BIND, fd, address.address(), address.byteSize()) != 0) {
                SyscallException e = Libc.failure(errno, "bind", fd, "{nl_family=AF_NETLINK, nl_groups=" + KERNEL_GROUP + "}", 12);
                Fs.close((int) fd);
                throw e;
            }
            MemorySegment size = call.allocateFrom(JAVA_INT, RECEIVE_BUFFER);
            // Failing is harmless (not root): the default buffer only makes an overflow likelier, and
            // an overflow is reported by receive() as ENOBUFS, which the caller answers with a new walk.
            Libc.syscall(errno, Arch.Nr.SETSOCKOPT, fd, SOL_SOCKET, SO_RCVBUFFORCE, size.address(), 4);
            long wakeFd = Libc.syscall(errno, Arch.Nr.EVENTFD2, 0, EFD_NONBLOCK | EFD_CLOEXEC);
            if (wakeFd < 0) {
                SyscallException e = Libc.failure(errno, "eventfd2", 0, "EFD_NONBLOCK|EFD_CLOEXEC");
                Fs.close((int) fd);
                throw e;
            }
            return new UeventSocket((int) fd, (int) wakeFd);
        }
    }

    /**
     * The next event, waiting at most {@code timeoutMs} (0: only what is queued; negative: for
     * ever); empty when none came in time or {@link #wake()} was called. Datagrams that are not
     * kernel uevents are skipped (the wait then starts again, so it may last a little longer than
     * asked). Queued events come before a wake-up.
     *
     * @throws SyscallException ENOBUFS when events were lost because the queue overflowed
     */
    public Optional<Uevent> receive(long timeoutMs) {
        try (Arena call = Scratch.frame()) {
            MemorySegment errno = Libc.errnoSlot(call);
            // struct pollfd { int fd; short events; short revents; } [2]: the socket, the eventfd
            MemorySegment pollfds = call.allocate(16, 4);
            pollfds.set(JAVA_INT, 0, fd);
            pollfds.set(JAVA_SHORT, 4, POLLIN);
            pollfds.set(JAVA_INT, 8, wakeFd);
            pollfds.set(JAVA_SHORT, 12, POLLIN);
            MemorySegment timeout = MemorySegment.NULL;
            if (timeoutMs >= 0) {
                timeout = call.allocate(16, 8);
                timeout.set(JAVA_LONG, 0, timeoutMs / 1000);
                timeout.set(JAVA_LONG, 8, (timeoutMs % 1000) * 1_000_000);
            }
            while (true) {
                long ready;
                do {
                    pollfds.set(JAVA_SHORT, 6, (short) 0);
                    pollfds.set(JAVA_SHORT, 14, (short) 0);
                    ready = Libc.syscall(errno, Arch.Nr.PPOLL, pollfds.address(), 2, timeout.address(), 0, 0);
                } while (ready < 0 && Libc.errno(errno) == Errno.EINTR);
                if (ready < 0) throw Libc.failure(errno, "ppoll", "[{fd=" + fd + "}, {fd=" + wakeFd + "}]", 2, timeoutMs + " ms");
                if (ready == 0) return Optional.empty();
                if (pollfds.get(JAVA_SHORT, 6) == 0) {   // only the eventfd: read its count back to zero
                    Libc.syscall(errno, Arch.Nr.READ, wakeFd, buffer.address(), 8);
                    return Optional.empty();
                }
                long n = Libc.syscall(errno, Arch.Nr.RECVFROM, fd, buffer.address(), MAX_EVENT, 0, 0, 0);
                if (n < 0) throw Libc.failure(errno, "recvfrom", fd, "<buffer>", MAX_EVENT, 0);
                Optional<Uevent> event = Uevent.parse(Libc.bytes(buffer, n));
                if (event.isPresent()) return event;
            }
        }
    }

    /** Ends a {@link #receive} under way in another thread (or the next one) early; after close(), nothing. */
    public synchronized void wake() {
        if (closed) return;
        try (Arena call = Scratch.frame()) {
            MemorySegment errno = Libc.errnoSlot(call);
            // Adds 1 to the eventfd's count; only a count at its maximum could fail, and it is read back to zero.
            Libc.syscall(errno, Arch.Nr.WRITE, wakeFd, call.allocateFrom(JAVA_LONG, 1).address(), 8);
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        Fs.close(wakeFd);
        Fs.close(fd);
        arena.close();
    }
}
