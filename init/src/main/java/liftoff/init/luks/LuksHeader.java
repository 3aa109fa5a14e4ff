package liftoff.init.luks;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import liftoff.init.probe.DeviceReader;
import liftoff.init.probe.LuksLayout;

/**
 * What the boot needs from a LUKS1 or LUKS2 header, checked and in one shape for both versions:
 * the keyslots that can open it (each with its key derivation, anti-forensic split and encrypted
 * area) and the data segment that becomes the dm-crypt table. Byte offsets are from the start of
 * the device.
 */
public record LuksHeader(int version, String uuid, List<Keyslot> keyslots, Segment segment) {

    /** The volume key in a keyslot: derive a key from the passphrase, decrypt the area, merge the stripes. */
    public record Keyslot(String id, int priority, int keyBytes, Kdf kdf, int stripes, String afHash,
            long areaOffset, long areaSize, String areaCipher, int areaKeyBytes, Digest digest) {}

    /** How a passphrase becomes the key of a keyslot area. */
    public record Kdf(String type, String hash, int iterations, int time, int memoryKiB, int threads, byte[] salt) {
        static final String PBKDF2 = "pbkdf2";
    }

    /** PBKDF2 of the volume key, stored to recognise the right one. */
    public record Digest(String hash, int iterations, byte[] salt, byte[] value) {}

    /** The encrypted data: where it starts, its length in bytes (-1: to the end of the device), its cipher. */
    public record Segment(long offset, long size, long ivTweak, String cipher, int sectorSize) {}

    /** Reads and checks the header of a device or image; a header that cannot be used is a LuksException. */
    public static LuksHeader read(DeviceReader device) throws LuksException {
        try {
            ByteBuffer start = device.read(0, 8);
            if (start == null) throw unusable("the device is smaller than a header");
            int version = LuksLayout.version(start);
            if (!LuksLayout.isPrimary(start)) {
                // A wiped primary LUKS2 header leaves the secondary copy; Luks2Header looks for it.
                return Luks2Header.read(device);
            }
            return switch (version) {
                case 1 -> Luks1Header.read(device);
                case 2 -> Luks2Header.read(device);
                default -> throw unusable("unknown LUKS version " + version);
            };
        } catch (IOException e) {
            throw unusable("cannot read it (" + e.getMessage() + ")");
        }
    }

    /** A NUL-padded ASCII field of a header held in an array-backed buffer. */
    static String text(ByteBuffer header, int offset, int length) {
        int end = offset;
        while (end < offset + length && header.get(end) != 0) end++;
        return new String(header.array(), offset, end - offset, java.nio.charset.StandardCharsets.US_ASCII);
    }

    static LuksException unusable(String why) {
        return new LuksException("not a usable LUKS header: " + why);
    }
}
