package liftoff.init.luks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import liftoff.init.probe.DeviceReader;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damaged and hostile headers, each made from a real cryptsetup header by the smallest change that
 * shows one check: a clear "not a usable LUKS header: ..." and never another exception. A random
 * byte-flip run over the whole metadata proves nothing else escapes.
 */
class HostileHeaderTest {
    private static final String PASSPHRASE = "pw";
    private static final String NOISE = "{}[]\",:0123456789-aez\\ ";
    @TempDir
    Path dir;
    private Path image;
    private final byte[] volumeKey = new byte[64];

    @BeforeEach
    void format() throws Exception {
        new Random(1).nextBytes(volumeKey);
        image = Cryptsetup.format(dir, "disk", 20, PASSPHRASE, volumeKey,
                "--type", "luks2", "--pbkdf", "pbkdf2", "--pbkdf-force-iterations", "1000");
    }

    @Test
    void aDamagedPrimaryFallsBackToTheSecondaryCopy() throws Exception {
        Cryptsetup.poke(image, 4096 + 10, (byte) '#');   // inside the primary JSON: its checksum fails
        try (DeviceReader device = DeviceReader.open(image)) {
            assertArrayEquals(volumeKey, VolumeKey.unlock(LuksHeader.read(device), device, PASSPHRASE.getBytes(StandardCharsets.UTF_8)));
        }
        Cryptsetup.poke(image, 0, new byte[4096]);        // a wiped primary: the secondary is found by scanning
        try (DeviceReader device = DeviceReader.open(image)) {
            assertArrayEquals(volumeKey, VolumeKey.unlock(LuksHeader.read(device), device, PASSPHRASE.getBytes(StandardCharsets.UTF_8)));
        }
    }

    @Test
    void bothChecksumsBad() throws Exception {
        long size = Cryptsetup.primaryHeaderSize(image);
        Cryptsetup.poke(image, 4096 + 10, (byte) '#');
        Cryptsetup.poke(image, size + 4096 + 10, (byte) '#');
        assertUnusable("primary header: checksum mismatch; secondary header at 16384: checksum mismatch");
    }

    @Test
    void truncated() throws Exception {
        try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) {
            f.setLength(3000);
        }
        assertUnusable("primary header: truncated");
        Files.write(image, new byte[] {'L', 'U'});
        assertUnusable("the device is smaller than a header");
    }

    @Test
    void aHugeHeaderSize() throws Exception {
        Cryptsetup.poke(image, 8, new byte[] {0x7f, 0, 0, 0, 0, 0, 0, 0});
        Cryptsetup.poke(image, 16384 + 8, new byte[] {0x7f, 0, 0, 0, 0, 0, 0, 0});
        assertUnusable("primary header: header size 9151314442816847872 is not one LUKS2 allows; "
                + "secondary header at 16384: header size 9151314442816847872 is not one LUKS2 allows");
    }

    @Test
    void deepNesting() throws Exception {
        Cryptsetup.rewriteJson(image, "{\"a\":" + "[".repeat(5000) + "]".repeat(5000) + "}");
        assertUnusable("JSON nested deeper than 16");
    }

    @Test
    void duplicateMembersAndTrailingText() throws Exception {
        Cryptsetup.rewriteJson(image, "{\"a\":1,\"a\":2}");
        assertUnusable("duplicate member \"a\"");
        Cryptsetup.rewriteJson(image, "{\"a\":1} x");
        assertUnusable("text after the JSON object");
    }

    @Test
    void aKeyslotAreaOutsideTheDevice() throws Exception {
        String json = Cryptsetup.json(image);
        Cryptsetup.rewriteJson(image, json.replace("\"offset\":\"32768\"", "\"offset\":\"9000000000\""));
        assertUnusable("keyslot 0 area [9000000000, +258048) lies outside the keyslots area of the device (32768 to 20971520)");
    }

    @Test
    void aKeyslotAreaOverTheMetadata() throws Exception {
        String json = Cryptsetup.json(image);
        Cryptsetup.rewriteJson(image, json.replace("\"offset\":\"32768\"", "\"offset\":\"0\""));
        assertUnusable("lies outside the keyslots area");
    }

    @Test
    void anUnknownCipher() throws Exception {
        String json = Cryptsetup.json(image);
        Cryptsetup.rewriteJson(image, json.replaceFirst("\"encryption\":\"aes-xts-plain64\"", "\"encryption\":\"twofish-xts-plain64\""));
        assertUnusable("unsupported keyslot cipher \"twofish-xts-plain64\"");
    }

    @Test
    void anUnknownKeyDerivationAndHash() throws Exception {
        String json = Cryptsetup.json(image);
        Cryptsetup.rewriteJson(image, json.replace("\"type\":\"pbkdf2\",\"hash\":\"sha256\",\"iterations\":1000", "\"type\":\"scrypt\""));
        assertUnusable("unsupported key derivation \"scrypt\"");
        Cryptsetup.rewriteJson(image, json.replace("\"hash\":\"sha256\"", "\"hash\":\"md5\""));
        assertUnusable("unsupported hash \"md5\"");
    }

    @Test
    void anAbsurdStripeOrIterationCount() throws Exception {
        String json = Cryptsetup.json(image);
        Cryptsetup.rewriteJson(image, json.replace("\"stripes\":4000", "\"stripes\":400000000"));
        assertUnusable("anti-forensic stripe count 400000000 is out of range");
        Cryptsetup.rewriteJson(image, json.replace("\"iterations\":1000", "\"iterations\":-1"));
        assertUnusable("out of range");
    }

    @Test
    void randomDamageNeverThrowsAnythingElse() throws Exception {
        // The headers and the keyslot area lie in the first MiB: restoring that resets the disk.
        byte[] pristine = Arrays.copyOf(Files.readAllBytes(image), 1 << 20);
        Random random = new Random(42);
        String json = Cryptsetup.json(image);
        for (int round = 0; round < 300; round++) {
            byte[] damaged = pristine.clone();
            if (round % 2 == 0) {
                // Damage the JSON and re-checksum, so the damage reaches the parser and the field checks.
                char[] text = json.toCharArray();
                for (int i = 0; i < 3; i++) text[random.nextInt(text.length)] = NOISE.charAt(random.nextInt(NOISE.length()));
                Cryptsetup.poke(image, 0, pristine);
                Cryptsetup.rewriteJson(image, new String(text));
            } else {
                for (int i = 0; i < 4; i++) damaged[random.nextInt(4096 * 2)] ^= (byte) (1 << random.nextInt(8));
                Cryptsetup.poke(image, 0, damaged);
            }
            try (DeviceReader device = DeviceReader.open(image)) {
                LuksHeader header = LuksHeader.read(device);
                VolumeKey.unlock(header, device, PASSPHRASE.getBytes(StandardCharsets.UTF_8));
            } catch (LuksException expected) {
                assertTrue(expected.getMessage().startsWith("not a usable LUKS header: ")
                        || expected.getMessage().startsWith("the LUKS header has no keyslot"), expected.getMessage());
            }
        }
    }

    private void assertUnusable(String detail) throws IOException {
        try (DeviceReader device = DeviceReader.open(image)) {
            LuksException e = assertThrows(LuksException.class, () -> LuksHeader.read(device));
            assertTrue(e.getMessage().startsWith("not a usable LUKS header: ") && e.getMessage().contains(detail), e.getMessage());
        }
    }

    @Test
    void assertUnusableItselfFailsOnAGoodHeader() {
        assertThrows(AssertionError.class, () -> assertUnusable("anything"));
    }
}
