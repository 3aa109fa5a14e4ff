package liftoff.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The kernel's key retention service (add_key(2), keyctl(2)): hands a secret to the kernel from a
 * native buffer that is wiped at once, so that, say, dm-crypt can fetch a volume key by name
 * instead of reading it in hex from a table line (a Java String nobody can wipe).
 */
public final class Keys {
    /** The calling process's keyring: dm-crypt's request_key searches it when the table is loaded. */
    public static final int PROCESS_KEYRING = -2;
    private static final int KEYCTL_UNLINK = 9;

    private Keys() {}

    /** add_key: {@code payload} as a key of {@code type} named {@code description}; returns its serial. */
    public static int add(String type, String description, byte[] payload, int keyring) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errno = Libc.errnoSlot(arena);
            MemorySegment data = arena.allocate(Math.max(1, payload.length));
            try {
                MemorySegment.copy(payload, 0, data, ValueLayout.JAVA_BYTE, 0, payload.length);
                long serial = Libc.syscall(errno, Arch.Nr.ADD_KEY, Libc.cString(arena, type).address(),
                        Libc.cString(arena, description).address(), data.address(), payload.length, keyring);
                if (serial < 0) {
                    throw Libc.failure(errno, "add_key", type, description, "<" + payload.length + " secret bytes>", keyring);
                }
                return (int) serial;
            } finally {
                data.fill((byte) 0);
            }
        }
    }

    /** keyctl(KEYCTL_UNLINK): takes the key out of {@code keyring}; unreferenced, the kernel frees it. */
    public static void unlink(int key, int keyring) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errno = Libc.errnoSlot(arena);
            if (Libc.syscall(errno, Arch.Nr.KEYCTL, KEYCTL_UNLINK, key, keyring) < 0) {
                throw Libc.failure(errno, "keyctl", "KEYCTL_UNLINK", key, keyring);
            }
        }
    }
}
