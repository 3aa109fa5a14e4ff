package liftoff.init.luks;

import static liftoff.init.luks.LuksHeader.unusable;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/**
 * Decrypts a keyslot area the way dm-crypt would read it: 512-byte sectors numbered from 0 at the
 * area's start, AES in XTS (the default of cryptsetup since 2.0 and of LUKS1 since 1.6) or CBC
 * with plain64/plain or ESSIV(sha256) IVs (old LUKS1 headers). AES itself is the JDK's; XTS and
 * the IVs are built on it here because the JCE has no XTS.
 */
final class SectorCipher {
    private static final int SECTOR = 512;
    private static final int BLOCK = 16;

    private SectorCipher() {}

    /** Throws unless {@code spec} (cipher-mode-iv) with a key of {@code keyBytes} can be decrypted here. */
    static void check(String spec, int keyBytes) throws LuksException {
        String[] parts = spec.split("-", 3);
        if (parts.length != 3 || !parts[0].equals("aes")) throw unsupported(spec);
        boolean ok = switch (parts[1] + "-" + parts[2]) {
            case "xts-plain64", "xts-plain" -> keyBytes == 32 || keyBytes == 64;
            case "cbc-plain64", "cbc-plain", "cbc-essiv:sha256" -> keyBytes == 16 || keyBytes == 24 || keyBytes == 32;
            default -> throw unsupported(spec);
        };
        if (!ok) throw unusable("a " + keyBytes * 8 + "-bit key does not fit the cipher " + spec);
    }

    /** Decrypts {@code data} (whole sectors) in place; the key is not kept. */
    static void decrypt(String spec, byte[] key, byte[] data) throws LuksException {
        check(spec, key.length);
        String[] parts = spec.split("-", 3);
        try {
            if (parts[1].equals("xts")) {
                xts(key, data, parts[2].equals("plain"));
            } else {
                cbc(key, data, parts[2]);
            }
        } catch (GeneralSecurityException e) {
            throw new LuksException("the JDK's AES failed: " + e.getClass().getSimpleName());
        }
    }

    private static void xts(byte[] key, byte[] data, boolean iv32) throws GeneralSecurityException {
        int half = key.length / 2;
        SecretKeySpec dataKey = new SecretKeySpec(key, 0, half, "AES");
        SecretKeySpec tweakKey = new SecretKeySpec(key, half, half, "AES");
        Cipher aes = Cipher.getInstance("AES/ECB/NoPadding");
        Cipher tweakCipher = Cipher.getInstance("AES/ECB/NoPadding");
        tweakCipher.init(Cipher.ENCRYPT_MODE, tweakKey);
        aes.init(Cipher.DECRYPT_MODE, dataKey);
        byte[] tweak = new byte[BLOCK];
        byte[] block = new byte[BLOCK];
        for (int sector = 0; sector * SECTOR < data.length; sector++) {
            Arrays.fill(tweak, (byte) 0);
            littleEndian(tweak, iv32 ? sector & 0xffffffffL : sector);
            tweakCipher.doFinal(tweak, 0, BLOCK, tweak, 0);
            for (int at = sector * SECTOR; at < (sector + 1) * SECTOR; at += BLOCK) {
                for (int i = 0; i < BLOCK; i++) block[i] = (byte) (data[at + i] ^ tweak[i]);
                aes.doFinal(block, 0, BLOCK, block, 0);
                for (int i = 0; i < BLOCK; i++) data[at + i] = (byte) (block[i] ^ tweak[i]);
                timesAlpha(tweak);
            }
        }
        Arrays.fill(block, (byte) 0);
    }

    /** Multiplies the tweak by x in GF(2^128), little-endian as XTS (IEEE 1619) defines it. */
    private static void timesAlpha(byte[] t) {
        int carry = 0;
        for (int i = 0; i < BLOCK; i++) {
            int b = t[i] & 0xff;
            t[i] = (byte) ((b << 1) | carry);
            carry = b >>> 7;
        }
        if (carry != 0) t[0] ^= (byte) 0x87;
    }

    private static void cbc(byte[] key, byte[] data, String ivMode) throws GeneralSecurityException {
        Cipher aes = Cipher.getInstance("AES/CBC/NoPadding");
        SecretKeySpec dataKey = new SecretKeySpec(key, "AES");
        Cipher essiv = null;
        if (ivMode.equals("essiv:sha256")) {
            // ESSIV: the IV is the sector number encrypted with the hash of the key.
            byte[] salt = MessageDigest.getInstance("SHA-256").digest(key);
            essiv = Cipher.getInstance("AES/ECB/NoPadding");
            essiv.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(salt, "AES"));
            Arrays.fill(salt, (byte) 0);
        }
        byte[] iv = new byte[BLOCK];
        for (int sector = 0; sector * SECTOR < data.length; sector++) {
            Arrays.fill(iv, (byte) 0);
            littleEndian(iv, ivMode.equals("plain") ? sector & 0xffffffffL : sector);
            if (essiv != null) essiv.doFinal(iv, 0, BLOCK, iv, 0);
            aes.init(Cipher.DECRYPT_MODE, dataKey, new javax.crypto.spec.IvParameterSpec(iv));
            aes.doFinal(data, sector * SECTOR, SECTOR, data, sector * SECTOR);
        }
    }

    private static void littleEndian(byte[] out, long value) {
        for (int i = 0; i < 8; i++) out[i] = (byte) (value >>> (8 * i));
    }

    private static LuksException unsupported(String spec) {
        return unusable("unsupported keyslot cipher \"" + Limits.printable(spec)
                + "\" (supported: aes-xts-plain64, aes-xts-plain, aes-cbc-essiv:sha256, aes-cbc-plain64, aes-cbc-plain)");
    }
}
