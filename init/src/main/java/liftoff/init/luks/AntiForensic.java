package liftoff.init.luks;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * The anti-forensic merge of LUKS (TKS1): the key is stored as {@code stripes} blocks whose
 * diffused XOR chain gives it back, so wiping any one block destroys the key.
 */
final class AntiForensic {
    private AntiForensic() {}

    /** Merges {@code split} (stripes × keyBytes) into the key. */
    static byte[] merge(byte[] split, int keyBytes, int stripes, String hash) throws LuksException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance(Hashes.jdkName(hash));
        } catch (NoSuchAlgorithmException e) {
            throw new LuksException("the JDK has no " + hash);
        }
        byte[] d = new byte[keyBytes];
        for (int s = 0; s < stripes - 1; s++) {
            for (int i = 0; i < keyBytes; i++) d[i] ^= split[s * keyBytes + i];
            diffuse(d, digest);
        }
        for (int i = 0; i < keyBytes; i++) d[i] ^= split[(stripes - 1) * keyBytes + i];
        return d;
    }

    /** Replaces each digest-sized block j of {@code d} by H(be32(j) || block), cut to the block's length. */
    private static void diffuse(byte[] d, MessageDigest digest) {
        int size = digest.getDigestLength();
        for (int j = 0, at = 0; at < d.length; j++, at += size) {
            int length = Math.min(size, d.length - at);
            digest.update(new byte[] {(byte) (j >>> 24), (byte) (j >>> 16), (byte) (j >>> 8), (byte) j});
            digest.update(d, at, length);
            byte[] h = digest.digest();
            System.arraycopy(h, 0, d, at, length);
            Arrays.fill(h, (byte) 0);
        }
    }
}
