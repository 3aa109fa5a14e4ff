package liftoff.init.luks;

import static liftoff.init.luks.LuksHeader.unusable;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import liftoff.init.probe.DeviceReader;

/**
 * Recovers the volume key from a passphrase (or key file bytes) as cryptsetup does: for each
 * keyslot, highest priority first, derive the area key, decrypt the area, merge the stripes, and
 * accept the result only when its PBKDF2 digest matches the header's. Every intermediate buffer
 * is wiped; the caller wipes the passphrase and the returned key.
 */
public final class VolumeKey {
    private VolumeKey() {}

    /** The volume key, or null when no keyslot opens with this passphrase. */
    public static byte[] unlock(LuksHeader header, DeviceReader device, byte[] passphrase) throws LuksException {
        List<LuksHeader.Keyslot> slots = header.keyslots().stream()
                .filter(k -> k.priority() > 0)   // priority 0 means "ignore unless asked for by number"
                .sorted(Comparator.comparingInt(LuksHeader.Keyslot::priority).reversed())
                .toList();
        if (slots.isEmpty()) throw new LuksException("the LUKS header has no keyslot in use");
        for (LuksHeader.Keyslot slot : slots) {
            byte[] key = tryKeyslot(slot, device, passphrase);
            if (key != null) return key;
        }
        return null;
    }

    private static byte[] tryKeyslot(LuksHeader.Keyslot slot, DeviceReader device, byte[] passphrase) throws LuksException {
        byte[] areaKey = null;
        byte[] split = null;
        byte[] key = null;
        byte[] check = null;
        try {
            areaKey = derive(slot.kdf(), passphrase, slot.areaKeyBytes());
            ByteBuffer area = device.read(slot.areaOffset(), (int) slot.areaSize());
            if (area == null) throw unusable("keyslot " + slot.id() + "'s area lies past the device's end");
            split = area.array();
            SectorCipher.decrypt(slot.areaCipher(), areaKey, split);
            key = AntiForensic.merge(split, slot.keyBytes(), slot.stripes(), slot.afHash());
            LuksHeader.Digest digest = slot.digest();
            check = Pbkdf2.derive(digest.hash(), key, digest.salt(), digest.iterations(), digest.value().length);
            if (MessageDigest.isEqual(check, digest.value())) {
                byte[] found = key;
                key = null;
                return found;
            }
            return null;
        } catch (IOException e) {
            throw new LuksException("cannot read keyslot " + slot.id() + " (" + e.getMessage() + ")");
        } finally {
            wipe(areaKey);
            wipe(split);
            wipe(key);
            wipe(check);
        }
    }

    private static byte[] derive(LuksHeader.Kdf kdf, byte[] passphrase, int length) throws LuksException {
        if (kdf.type().equals(LuksHeader.Kdf.PBKDF2)) {
            return Pbkdf2.derive(kdf.hash(), passphrase, kdf.salt(), kdf.iterations(), length);
        }
        return Argon2Kdf.derive(kdf, passphrase, length);
    }

    /** Overwrites a secret with zeros; null is fine. */
    public static void wipe(byte[] secret) {
        if (secret != null) Arrays.fill(secret, (byte) 0);
    }
}
