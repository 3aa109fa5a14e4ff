package liftoff.init.luks;

import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Argon2i and Argon2id (RFC 9106, version 0x13, as cryptsetup uses them) from Bouncy Castle. This
 * is the only class of the init that names Bouncy Castle: the JVM loads it, and with it the
 * library, only when an argon2 keyslot is tried, so a boot without LUKS2 stays java.base-only.
 */
final class Argon2Kdf {
    private Argon2Kdf() {}

    static byte[] derive(LuksHeader.Kdf kdf, byte[] password, int length) throws LuksException {
        long needed = (long) kdf.memoryKiB() * 1024 * 9 / 8;   // 1 KiB blocks as Java arrays, with their headers
        Runtime runtime = Runtime.getRuntime();
        long available = runtime.maxMemory() - (runtime.totalMemory() - runtime.freeMemory());
        if (needed > available) {
            throw new LuksException("keyslot needs " + kdf.memoryKiB() / 1024 + " MiB for argon2, but the init has "
                    + available / (1 << 20) + " MiB of heap (raise -Xmx in the image's jvm.args or use a smaller --pbkdf-memory)");
        }
        Argon2Parameters parameters = new Argon2Parameters.Builder(
                        kdf.type().equals("argon2i") ? Argon2Parameters.ARGON2_i : Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withIterations(kdf.time())
                .withMemoryAsKB(kdf.memoryKiB())
                .withParallelism(kdf.threads())
                .withSalt(kdf.salt())
                .build();
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(parameters);
        byte[] out = new byte[length];
        generator.generateBytes(password, out);
        parameters.clear();
        return out;
    }
}
