package liftoff.init.luks;

import static liftoff.init.luks.LuksHeader.unusable;

import java.util.Set;

/**
 * The bounds every header value is checked against before it is used, so a hostile header can
 * neither make the init allocate without limit, spin for hours, nor read outside the device.
 * The limits sit far above anything cryptsetup writes.
 */
final class Limits {
    static final Set<String> HASHES = Set.of("sha1", "sha256", "sha512");
    /** cryptsetup writes 4000 stripes; keyslot areas are a few hundred KiB. */
    private static final long MAX_AREA = 16L << 20;
    private static final int MAX_KEY_BYTES = 256;
    private static final int MAX_ITERATIONS = 100_000_000;
    /** Argon2 memory in KiB; cryptsetup's maximum is 4 GiB. */
    static final int MAX_ARGON2_MEMORY_KIB = 4 << 20;
    private static final int MAX_ARGON2_TIME = 1_000;
    private static final int MAX_ARGON2_THREADS = 16;

    private Limits() {}

    static String hash(String name) throws LuksException {
        if (!HASHES.contains(name)) throw unusable("unsupported hash \"" + printable(name) + "\" (supported: sha1, sha256, sha512)");
        return name;
    }

    static int keyBytes(long n) throws LuksException {
        if (n <= 0 || n > MAX_KEY_BYTES) throw unusable("key size " + n + " bytes is out of range");
        return (int) n;
    }

    static int iterations(long n) throws LuksException {
        if (n <= 0 || n > MAX_ITERATIONS) throw unusable("PBKDF2 iteration count " + Integer.toUnsignedString((int) n) + " is out of range");
        return (int) n;
    }

    static int stripes(long n) throws LuksException {
        if (n <= 0 || n > MAX_AREA) throw unusable("anti-forensic stripe count " + n + " is out of range");
        return (int) n;
    }

    static int argon2Time(long n) throws LuksException {
        if (n <= 0 || n > MAX_ARGON2_TIME) throw unusable("argon2 time cost " + n + " is out of range");
        return (int) n;
    }

    static int argon2Memory(long n) throws LuksException {
        if (n < 8 || n > MAX_ARGON2_MEMORY_KIB) throw unusable("argon2 memory " + n + " KiB is out of range");
        return (int) n;
    }

    static int argon2Threads(long n) throws LuksException {
        if (n <= 0 || n > MAX_ARGON2_THREADS) throw unusable("argon2 thread count " + n + " is out of range");
        return (int) n;
    }

    /** The bytes of the split key, rounded up to whole 512-byte sectors as the area holds them. */
    static long areaSize(long splitBytes) throws LuksException {
        if (splitBytes <= 0 || splitBytes > MAX_AREA) throw unusable("keyslot area of " + splitBytes + " bytes is out of range");
        return (splitBytes + 511) & ~511L;
    }

    static void areaInside(String what, long offset, long size, long metadataEnd, long deviceSize) throws LuksException {
        if (offset < metadataEnd || size < 0 || offset > deviceSize || size > deviceSize - offset) {
            throw unusable(what + " area [" + offset + ", +" + size + ") lies outside the keyslots area of the device ("
                    + metadataEnd + " to " + deviceSize + ")");
        }
    }

    /** Header text in a message: printable ASCII, bounded, never the raw bytes. */
    static String printable(String s) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length() && i < 64; i++) {
            char c = s.charAt(i);
            out.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return out.toString();
    }
}
