package liftoff.init.luks;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import liftoff.init.probe.DeviceReader;

/**
 * Key derivation in a second JVM with its JIT compilers on. The init runs interpreted (-Xint
 * starts fastest), and interpreted, argon2id at cryptsetup's default cost takes minutes where
 * compiled code takes seconds (bench/luks). So when a keyslot is expensive the init starts
 * {@code java -cp /init liftoff.init.luks.UnlockProcess DEVICE} from its own runtime, writes the
 * passphrase to its standard input and reads the volume key from its standard output: both are
 * pipes, so the secrets never touch a file, an argument or the environment.
 */
public final class UnlockProcess {
    /** Below this many PBKDF2 iterations and argon2 KiB × passes, the interpreter is quick enough (about a second under TCG). */
    static final long CHEAP_PBKDF2 = 20_000;
    static final long CHEAP_ARGON2 = 8_192;
    private static final int WRONG_PASSPHRASE = 2;
    private static final long TIMEOUT_MINUTES = 10;

    private UnlockProcess() {}

    /** True when every keyslot's derivation, and the digest, is cheap enough to run interpreted. */
    public static boolean cheap(LuksHeader header) {
        for (LuksHeader.Keyslot slot : header.keyslots()) {
            LuksHeader.Kdf kdf = slot.kdf();
            boolean slotCheap = kdf.type().equals(LuksHeader.Kdf.PBKDF2)
                    ? kdf.iterations() <= CHEAP_PBKDF2
                    : (long) kdf.memoryKiB() * kdf.time() <= CHEAP_ARGON2;
            if (!slotCheap || slot.digest().iterations() > CHEAP_PBKDF2) return false;
        }
        return true;
    }

    /**
     * Runs the unlock of {@code device} in a child JVM ({@code java} of this runtime, this class
     * path); returns the volume key, or null for a wrong passphrase.
     */
    public static byte[] unlock(Path device, LuksHeader header, byte[] passphrase) throws LuksException {
        // Argon2's blocks are 1 KiB arrays (about 3% overhead) that end up in the old generation:
        // a small young generation leaves nearly the whole heap to them.
        long argon2MiB = header.keyslots().stream().mapToLong(k -> k.kdf().memoryKiB() / 1024).max().orElse(0);
        long heapMiB = 96 + argon2MiB * 9 / 8;
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmn32m", "-Xmx" + heapMiB + "m",
                "-cp", System.getProperty("java.class.path"), UnlockProcess.class.getName(), device.toString()));
        Process child;
        try {
            child = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        } catch (IOException e) {
            throw new LuksException("cannot start the key derivation JVM: " + e.getMessage());
        }
        byte[] key = null;
        try {
            try (OutputStream in = child.getOutputStream()) {
                in.write(passphrase);
            }
            try (InputStream out = child.getInputStream()) {
                key = out.readAllBytes();
            }
            if (!child.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                child.destroyForcibly();
                throw new LuksException("the key derivation took more than " + TIMEOUT_MINUTES + " minutes");
            }
            int status = child.exitValue();
            if (status == WRONG_PASSPHRASE) return null;
            if (status != 0 || key.length == 0) throw new LuksException("the key derivation JVM failed (exit status " + status + ")");
            byte[] found = key;
            key = null;
            return found;
        } catch (IOException e) {
            throw new LuksException("cannot talk to the key derivation JVM: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            child.destroyForcibly();
            throw new LuksException("interrupted while deriving the key");
        } finally {
            VolumeKey.wipe(key);
        }
    }

    /** The child: passphrase on standard input, volume key on standard output; 2 for a wrong passphrase. */
    public static void main(String[] args) {
        byte[] passphrase = null;
        byte[] key = null;
        int status;
        try (DeviceReader device = DeviceReader.open(Path.of(args[0]))) {
            passphrase = System.in.readAllBytes();
            key = VolumeKey.unlock(LuksHeader.read(device), device, passphrase);
            if (key == null) {
                status = WRONG_PASSPHRASE;
            } else {
                System.out.write(key);
                System.out.flush();
                status = 0;
            }
        } catch (LuksException | IOException e) {
            System.err.println("liftoff: " + args[0] + ": " + e.getMessage());
            status = 1;
        } finally {
            VolumeKey.wipe(passphrase);
            VolumeKey.wipe(key);
        }
        System.exit(status);
    }
}
