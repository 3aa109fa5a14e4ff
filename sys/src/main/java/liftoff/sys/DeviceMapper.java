package liftoff.sys;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Device-mapper through its ioctls on /dev/mapper/control (linux/dm-ioctl.h, interface 4.x), as
 * dmsetup does it without libdevmapper: create a device, load its table, resume it (which makes
 * the table live), read its status, remove it. Every request is one {@code struct dm_ioctl} header
 * followed by its data in one buffer.
 */
public final class DeviceMapper {
    /** One line of a table: {@code start length type params}, in 512-byte sectors. */
    public record Target(long startSector, long sectors, String type, String params) {
        public Target {
            if (startSector < 0 || sectors <= 0) {
                throw new IllegalArgumentException("device-mapper target " + type + ": bad range " + startSector + " +" + sectors);
            }
            if (type == null || type.isEmpty() || utf8(type).length >= TYPE_LEN) {
                throw new IllegalArgumentException("device-mapper target type '" + type + "' must be 1 to " + (TYPE_LEN - 1) + " bytes");
            }
            if (params == null || params.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("device-mapper target " + type + ": parameters must be a string without NUL");
            }
        }
    }

    /** A mapped device; devtmpfs names its node /dev/dm-MINOR. */
    public record Device(String name, int major, int minor) {
        /** The kernel's name for the device, as in /sys/class/block and /dev. */
        public String kernelName() {
            return "dm-" + minor;
        }
    }

    public static final String CONTROL = "/dev/mapper/control";

    static final int HEADER_SIZE = 312;        // sizeof(struct dm_ioctl)
    static final int TARGET_SPEC_SIZE = 40;    // sizeof(struct dm_target_spec)
    static final int NAME_LEN = 128;
    static final int UUID_LEN = 129;
    static final int TYPE_LEN = 16;

    // struct dm_ioctl field offsets
    static final long VERSION = 0, DATA_SIZE = 12, DATA_START = 16, TARGET_COUNT = 20, FLAGS = 28, DEV = 40, NAME = 48, UUID = 176;
    // struct dm_target_spec field offsets
    static final long SECTOR_START = 0, LENGTH = 8, STATUS = 16, NEXT = 20, TARGET_TYPE = 24;

    static final int READONLY_FLAG = 1;
    static final int STATUS_TABLE_FLAG = 1 << 4;
    static final int BUFFER_FULL_FLAG = 1 << 8;
    /** Asks the kernel to wipe its copy of the request: dm-crypt tables carry keys. */
    static final int SECURE_DATA_FLAG = 1 << 15;

    /** The dm_ioctl commands used, by their number in _IOWR(0xfd, nr, struct dm_ioctl). */
    enum Command {
        DM_VERSION(0), DM_DEV_CREATE(3), DM_DEV_REMOVE(4), DM_DEV_SUSPEND(6), DM_TABLE_LOAD(9), DM_TABLE_STATUS(12);

        final long request;

        Command(int nr) {
            this.request = (3L << 30) | ((long) HEADER_SIZE << 16) | (0xfdL << 8) | nr;
        }
    }

    private static final int INTERFACE_MAJOR = 4;
    private static final int STATUS_BUFFER = 16 * 1024;
    private static final int STATUS_BUFFER_MAX = 1024 * 1024;

    private DeviceMapper() {}

    /**
     * Creates device {@code name} with {@code table} and makes it live. On any failure after the
     * device exists it is removed again, so a failed call leaves nothing behind.
     *
     * @param uuid a unique id such as "CRYPT-LUKS2-…" or "VERITY-…", or null for none
     */
    public static Device create(String name, String uuid, boolean readOnly, List<Target> table) {
        if (table.isEmpty()) throw new IllegalArgumentException("device-mapper device " + name + ": empty table");
        int fd = openControl();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment created = header(arena, HEADER_SIZE, name, uuid, 0);
            call(fd, Command.DM_DEV_CREATE, created, name);
            // dm_ioctl carries the kernel's huge_encode_dev(), the same split as glibc's makedev()
            long dev = created.get(JAVA_LONG, DEV);
            Device device = new Device(name, Stat.major(dev), Stat.minor(dev));
            try {
                MemorySegment load = tableLoad(arena, name, readOnly, table);
                try {
                    call(fd, Command.DM_TABLE_LOAD, load, name);
                } finally {
                    load.fill((byte) 0);   // the table of a crypt target holds its key
                }
                call(fd, Command.DM_DEV_SUSPEND, header(arena, HEADER_SIZE, name, null, 0), name);  // no DM_SUSPEND_FLAG: resume
                return device;
            } catch (RuntimeException e) {
                try {
                    call(fd, Command.DM_DEV_REMOVE, header(arena, HEADER_SIZE, name, null, 0), name);
                } catch (SyscallException cleanup) {
                    e.addSuppressed(cleanup);
                }
                throw e;
            }
        } finally {
            Fs.close(fd);
        }
    }

    public static void remove(String name) {
        int fd = openControl();
        try (Arena arena = Arena.ofConfined()) {
            call(fd, Command.DM_DEV_REMOVE, header(arena, HEADER_SIZE, name, null, 0), name);
        } finally {
            Fs.close(fd);
        }
    }

    /**
     * The live table's status line (DM_TABLE_STATUS without DM_STATUS_TABLE_FLAG), one line per
     * target, e.g. "V" or "C" for verity, as {@code dmsetup status} prints after the range and type.
     */
    public static String status(String name) {
        return tableStatus(name, 0);
    }

    /**
     * The live table's parameters (DM_TABLE_STATUS with DM_STATUS_TABLE_FLAG), one line per target,
     * as {@code dmsetup table} prints them after the range and type; devices appear as major:minor.
     */
    public static String table(String name) {
        return tableStatus(name, STATUS_TABLE_FLAG);
    }

    private static String tableStatus(String name, int flags) {
        int fd = openControl();
        try (Arena arena = Arena.ofConfined()) {
            for (int size = STATUS_BUFFER; ; size *= 2) {
                MemorySegment request = header(arena, size, name, null, flags);
                call(fd, Command.DM_TABLE_STATUS, request, name);
                if ((request.get(JAVA_INT, FLAGS) & BUFFER_FULL_FLAG) == 0 || size >= STATUS_BUFFER_MAX) {
                    List<String> lines = new ArrayList<>();
                    for (Target t : targets(request)) lines.add(t.params());
                    return String.join("\n", lines);
                }
            }
        } finally {
            Fs.close(fd);
        }
    }

    /** The kernel's device-mapper interface version, "4.48.0": a cheap check that dm_mod is there. */
    public static String version() {
        int fd = openControl();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment request = header(arena, HEADER_SIZE, null, null, 0);
            call(fd, Command.DM_VERSION, request, null);
            return Integer.toUnsignedString(request.get(JAVA_INT, VERSION)) + "." + Integer.toUnsignedString(request.get(JAVA_INT, VERSION + 4))
                    + "." + Integer.toUnsignedString(request.get(JAVA_INT, VERSION + 8));
        } finally {
            Fs.close(fd);
        }
    }

    private static int openControl() {
        return Fs.openat(Fs.AT_FDCWD, CONTROL, Fs.O_RDWR | Fs.O_CLOEXEC, 0);
    }

    private static void call(int fd, Command command, MemorySegment request, String name) {
        Ioctl.ioctl(fd, command.request, command.name(), request, name == null ? "{}" : "{name=" + Call.quoted(name) + "}");
    }

    /** A zeroed buffer of {@code size} bytes starting with a dm_ioctl header for {@code name}. */
    static MemorySegment header(Arena arena, int size, String name, String uuid, int flags) {
        MemorySegment s = arena.allocate(size, 8);
        s.set(JAVA_INT, VERSION, INTERFACE_MAJOR);   // minor and patch 0: any 4.x kernel accepts it
        s.set(JAVA_INT, DATA_SIZE, size);
        s.set(JAVA_INT, DATA_START, HEADER_SIZE);
        s.set(JAVA_INT, FLAGS, flags);
        if (name != null) putString(s, NAME, NAME_LEN, name, "name");
        if (uuid != null) putString(s, UUID, UUID_LEN, uuid, "uuid");
        return s;
    }

    /**
     * A DM_TABLE_LOAD request: the header, then each dm_target_spec followed by its NUL-terminated
     * parameters, padded to 8 bytes; {@code next} is the distance from this spec to the next one.
     */
    static MemorySegment tableLoad(Arena arena, String name, boolean readOnly, List<Target> table) {
        List<byte[]> params = new ArrayList<>();
        long size = HEADER_SIZE;
        for (Target t : table) {
            byte[] p = utf8(t.params());
            params.add(p);
            size += specSize(p);
        }
        if (size > Integer.MAX_VALUE) throw new IllegalArgumentException("device-mapper table for " + name + " is too large");
        MemorySegment s = header(arena, (int) size, name, null, SECURE_DATA_FLAG | (readOnly ? READONLY_FLAG : 0));
        s.set(JAVA_INT, TARGET_COUNT, table.size());
        long at = HEADER_SIZE;
        for (int i = 0; i < table.size(); i++) {
            Target t = table.get(i);
            byte[] p = params.get(i);
            s.set(JAVA_LONG, at + SECTOR_START, t.startSector());
            s.set(JAVA_LONG, at + LENGTH, t.sectors());
            s.set(JAVA_INT, at + NEXT, (int) specSize(p));
            putString(s, at + TARGET_TYPE, TYPE_LEN, t.type(), "target type");
            MemorySegment.copy(p, 0, s, JAVA_BYTE, at + TARGET_SPEC_SIZE, p.length);
            at += specSize(p);
            Arrays.fill(p, (byte) 0);
        }
        return s;
    }

    /**
     * The targets of a DM_TABLE_STATUS answer. Here {@code next} counts from the first spec (the
     * kernel's convention for answers), and everything is bounds-checked against data_size.
     */
    static List<Target> targets(MemorySegment answer) {
        long end = Math.min(answer.byteSize(), Integer.toUnsignedLong(answer.get(JAVA_INT, DATA_SIZE)));
        long first = Integer.toUnsignedLong(answer.get(JAVA_INT, DATA_START));
        int count = answer.get(JAVA_INT, TARGET_COUNT);
        List<Target> targets = new ArrayList<>();
        long at = first;
        for (int i = 0; i < count; i++) {
            if (at < first || at + TARGET_SPEC_SIZE > end) {
                throw new IllegalStateException("device-mapper answer: target " + i + " at offset " + at + " is outside the " + end + "-byte buffer");
            }
            targets.add(new Target(answer.get(JAVA_LONG, at + SECTOR_START), answer.get(JAVA_LONG, at + LENGTH),
                    getString(answer, at + TARGET_TYPE, at + TARGET_TYPE + TYPE_LEN),
                    getString(answer, at + TARGET_SPEC_SIZE, end)));
            at = first + Integer.toUnsignedLong(answer.get(JAVA_INT, at + NEXT));
        }
        return targets;
    }

    private static long specSize(byte[] params) {
        return (TARGET_SPEC_SIZE + params.length + 1 + 7) & ~7L;
    }

    private static void putString(MemorySegment s, long offset, int capacity, String value, String what) {
        byte[] b = utf8(value);
        if (b.length == 0 || b.length >= capacity || value.indexOf('\0') >= 0 || (what.equals("name") && value.indexOf('/') >= 0)) {
            throw new IllegalArgumentException("device-mapper " + what + " '" + value + "' must be 1 to " + (capacity - 1)
                    + " bytes" + (what.equals("name") ? " without '/'" : ""));
        }
        MemorySegment.copy(b, 0, s, JAVA_BYTE, offset, b.length);
    }

    /** A NUL-terminated string in [from, limit); unterminated means it runs to the limit. */
    private static String getString(MemorySegment s, long from, long limit) {
        long at = from;
        while (at < limit && s.get(JAVA_BYTE, at) != 0) at++;
        byte[] b = new byte[(int) (at - from)];
        MemorySegment.copy(s, JAVA_BYTE, from, b, 0, b.length);
        return new String(b, StandardCharsets.UTF_8);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
