package liftoff.init.luks;

import static liftoff.init.luks.LuksHeader.unusable;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import liftoff.init.probe.DeviceReader;
import liftoff.init.probe.LuksLayout;

/**
 * The LUKS1 on-disk header (cryptsetup's LUKS1 spec 1.2.3): one 592-byte big-endian block with the
 * cipher, the volume key's PBKDF2 digest and eight PBKDF2 keyslots. It has no checksum: damage
 * shows as a key that matches no digest.
 */
final class Luks1Header {
    private static final int SIZE = 592;
    private static final int KEYSLOTS = 8;
    private static final int KEYSLOT_ACTIVE = 0x00AC71F3;
    private static final int KEYSLOT_DISABLED = 0x0000DEAD;
    private static final int SECTOR = 512;

    private Luks1Header() {}

    static LuksHeader read(DeviceReader device) throws IOException, LuksException {
        ByteBuffer h = device.read(0, SIZE);
        if (h == null) throw unusable("the LUKS1 header is truncated");
        h.order(ByteOrder.BIG_ENDIAN);
        String cipher = LuksHeader.text(h, 8, 32) + "-" + LuksHeader.text(h, 40, 32);
        String hash = Limits.hash(LuksHeader.text(h, 72, 32));
        long payloadOffset = Integer.toUnsignedLong(h.getInt(104)) * SECTOR;
        int keyBytes = Limits.keyBytes(h.getInt(108));
        int digestIterations = Limits.iterations(h.getInt(164));
        SectorCipher.check(cipher, keyBytes);
        LuksHeader.Digest digest = new LuksHeader.Digest(hash, digestIterations, bytes(h, 132, 32), bytes(h, 112, 20));
        String uuid = LuksHeader.text(h, LuksLayout.UUID, LuksLayout.UUID_LENGTH);
        long deviceSize = device.size();
        if (payloadOffset > deviceSize) throw unusable("the data starts at " + payloadOffset + ", past the device's end");

        List<LuksHeader.Keyslot> keyslots = new ArrayList<>();
        for (int i = 0; i < KEYSLOTS; i++) {
            int at = 208 + i * 48;
            int state = h.getInt(at);
            if (state == KEYSLOT_DISABLED) continue;
            if (state != KEYSLOT_ACTIVE) throw unusable("keyslot " + i + " has the unknown state 0x" + Integer.toHexString(state));
            int iterations = Limits.iterations(h.getInt(at + 4));
            long areaOffset = Integer.toUnsignedLong(h.getInt(at + 40)) * SECTOR;
            int stripes = Limits.stripes(h.getInt(at + 44));
            long areaSize = Limits.areaSize((long) keyBytes * stripes);
            Limits.areaInside("keyslot " + i, areaOffset, areaSize, SIZE, deviceSize);
            LuksHeader.Kdf kdf = new LuksHeader.Kdf(LuksHeader.Kdf.PBKDF2, hash, iterations, 0, 0, 0, bytes(h, at + 8, 32));
            keyslots.add(new LuksHeader.Keyslot(Integer.toString(i), 1, keyBytes, kdf, stripes, hash,
                    areaOffset, areaSize, cipher, keyBytes, digest));
        }
        LuksHeader.Segment segment = new LuksHeader.Segment(payloadOffset, -1, 0, cipher, SECTOR);
        return new LuksHeader(1, uuid, List.copyOf(keyslots), segment);
    }

    private static byte[] bytes(ByteBuffer h, int offset, int length) {
        return Arrays.copyOfRange(h.array(), offset, offset + length);
    }
}
