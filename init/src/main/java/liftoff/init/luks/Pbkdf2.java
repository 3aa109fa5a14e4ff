package liftoff.init.luks;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * PBKDF2 (RFC 8018) over the JDK's HMAC. The JDK's own PBKDF2WithHmacSHA* takes the password as
 * chars and encodes them itself; LUKS passphrases and key files are bytes, so the loop is here.
 */
final class Pbkdf2 {
    private Pbkdf2() {}

    static byte[] derive(String hash, byte[] password, byte[] salt, int iterations, int length) throws LuksException {
        try {
            Mac mac = Mac.getInstance(Hashes.hmacName(hash));
            // HMAC pads its key with zeros, so the empty key equals a single zero byte (SecretKeySpec refuses empty keys).
            mac.init(new SecretKeySpec(password.length == 0 ? new byte[1] : password, mac.getAlgorithm()));
            int hLen = mac.getMacLength();
            byte[] out = new byte[length];
            byte[] u = new byte[hLen];
            byte[] t = new byte[hLen];
            for (int block = 1; (block - 1) * hLen < length; block++) {
                mac.update(salt);
                mac.update(new byte[] {(byte) (block >>> 24), (byte) (block >>> 16), (byte) (block >>> 8), (byte) block});
                mac.doFinal(u, 0);
                System.arraycopy(u, 0, t, 0, hLen);
                for (int i = 1; i < iterations; i++) {
                    mac.update(u);
                    mac.doFinal(u, 0);
                    for (int j = 0; j < hLen; j++) t[j] ^= u[j];
                }
                int at = (block - 1) * hLen;
                System.arraycopy(t, 0, out, at, Math.min(hLen, length - at));
            }
            Arrays.fill(u, (byte) 0);
            Arrays.fill(t, (byte) 0);
            return out;
        } catch (GeneralSecurityException e) {
            throw new LuksException("the JDK's HMAC failed: " + e.getClass().getSimpleName());
        }
    }
}
