package liftoff.init.luks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import liftoff.init.probe.DeviceReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Unlocks headers that the real cryptsetup wrote, with the volume key chosen by the test, so a
 * recovered key is compared byte for byte: every keyslot derivation (PBKDF2 with sha1, sha256,
 * sha512; argon2i, argon2id), both XTS key sizes, LUKS1 in XTS and CBC-ESSIV.
 */
class VolumeKeyTest {
    private static final String PASSPHRASE = "correct horse ✓ battery";
    @TempDir
    Path dir;

    private final Random random = new Random(7);

    private byte[] key(int bytes) {
        byte[] key = new byte[bytes];
        random.nextBytes(key);
        return key;
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "--type luks2 --pbkdf argon2id --pbkdf-memory 64 --pbkdf-force-iterations 4",
        "--type luks2 --pbkdf argon2i --pbkdf-memory 1024 --pbkdf-force-iterations 5 --pbkdf-parallel 1",
        "--type luks2 --pbkdf pbkdf2 --hash sha256 --pbkdf-force-iterations 1000",
        "--type luks2 --pbkdf pbkdf2 --hash sha512 --pbkdf-force-iterations 1000",
        "--type luks2 --pbkdf pbkdf2 --hash sha1 --pbkdf-force-iterations 1000",
        "--type luks1 --hash sha256 --pbkdf-force-iterations 1000",
        "--type luks1 --hash sha1 --pbkdf-force-iterations 1000",
    })
    void recoversTheVolumeKeyCryptsetupStored(String options) throws Exception {
        byte[] volumeKey = key(64);
        Path image = Cryptsetup.format(dir, "disk", 20, PASSPHRASE, volumeKey, options.split(" "));
        try (DeviceReader device = DeviceReader.open(image)) {
            assertTrue(UnlockProcess.cheap(LuksHeader.read(device)), "the in-process path is what this test covers");
        }
        assertUnlocks(image, volumeKey);
    }

    @Test
    void luks1WithCbcEssivAndA256BitKey() throws Exception {
        byte[] volumeKey = key(32);
        Path image = Cryptsetup.format(dir, "cbc", 4, PASSPHRASE, volumeKey,
                "--type", "luks1", "--cipher", "aes-cbc-essiv:sha256", "--pbkdf-force-iterations", "1000");
        LuksHeader header = assertUnlocks(image, volumeKey);
        assertEquals("aes-cbc-essiv:sha256", header.segment().cipher());
    }

    @Test
    void luks2With256BitXtsKeyAndASecondKeyslot() throws Exception {
        byte[] volumeKey = key(32);
        Path image = Cryptsetup.format(dir, "two", 20, PASSPHRASE, volumeKey,
                "--type", "luks2", "--pbkdf", "pbkdf2", "--pbkdf-force-iterations", "1000");
        Cryptsetup.run(PASSPHRASE + "\n" + "second\n", List.of("cryptsetup", "luksAddKey", "--batch-mode",
                "--pbkdf", "pbkdf2", "--pbkdf-force-iterations", "1000", image.toString()));
        try (DeviceReader device = DeviceReader.open(image)) {
            LuksHeader header = LuksHeader.read(device);
            assertEquals(2, header.keyslots().size());
            assertArrayEquals(volumeKey, VolumeKey.unlock(header, device, "second".getBytes(StandardCharsets.UTF_8)));
        }
    }

    @Test
    void aWrongPassphraseOpensNothing() throws Exception {
        Path image = Cryptsetup.format(dir, "wrong", 20, PASSPHRASE, key(64),
                "--type", "luks2", "--pbkdf", "argon2id", "--pbkdf-memory", "64", "--pbkdf-force-iterations", "4");
        try (DeviceReader device = DeviceReader.open(image)) {
            assertNull(VolumeKey.unlock(LuksHeader.read(device), device, "Correct horse ✓ battery".getBytes(StandardCharsets.UTF_8)));
        }
    }

    @Test
    void theHeaderMatchesLuksDump() throws Exception {
        Path image = Cryptsetup.format(dir, "dump", 20, PASSPHRASE, key(64),
                "--type", "luks2", "--pbkdf", "pbkdf2", "--pbkdf-force-iterations", "1000", "--sector-size", "4096");
        String uuid = Cryptsetup.run("", List.of("cryptsetup", "luksUUID", image.toString())).trim();
        try (DeviceReader device = DeviceReader.open(image)) {
            LuksHeader header = LuksHeader.read(device);
            assertEquals(2, header.version());
            assertEquals(uuid, header.uuid());
            assertEquals(new LuksHeader.Segment(16 << 20, -1, 0, "aes-xts-plain64", 4096), header.segment());
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void theKeyAndOffsetDecryptTheExt4SuperblockInside(boolean luks1) throws Exception {
        Path image = Cryptsetup.encryptedExt4(dir, "ext4", PASSPHRASE, luks1, "--pbkdf", "pbkdf2", "--pbkdf-force-iterations", "1000");
        try (DeviceReader device = DeviceReader.open(image)) {
            LuksHeader header = LuksHeader.read(device);
            assertEquals(luks1 ? 1 : 2, header.version());
            byte[] key = VolumeKey.unlock(header, device, PASSPHRASE.getBytes(StandardCharsets.UTF_8));
            // dm-crypt numbers the sectors from the segment's start (iv offset 0): so does the keyslot area's cipher.
            byte[] data = device.read(header.segment().offset(), 2048).array();
            SectorCipher.decrypt(header.segment().cipher(), key, data);
            assertEquals(0xef53, (data[1024 + 56] & 0xff) | (data[1024 + 57] & 0xff) << 8, "the ext4 magic");
            assertEquals("inner", new String(data, 1024 + 120, 5, StandardCharsets.US_ASCII));
        }
    }

    @Test
    void expensiveKeyslotsAreDerivedInAChildJvm() throws Exception {
        byte[] volumeKey = key(64);
        Path image = Cryptsetup.format(dir, "costly", 20, PASSPHRASE, volumeKey,
                "--type", "luks2", "--pbkdf", "argon2id", "--pbkdf-memory", "65536", "--pbkdf-force-iterations", "4");
        try (DeviceReader device = DeviceReader.open(image)) {
            LuksHeader header = LuksHeader.read(device);
            assertFalse(UnlockProcess.cheap(header));
            assertArrayEquals(volumeKey, UnlockProcess.unlock(image, header, PASSPHRASE.getBytes(StandardCharsets.UTF_8)));
            assertNull(UnlockProcess.unlock(image, header, "nope".getBytes(StandardCharsets.UTF_8)));
        }
    }

    private static LuksHeader assertUnlocks(Path image, byte[] volumeKey) throws Exception {
        try (DeviceReader device = DeviceReader.open(image)) {
            LuksHeader header = LuksHeader.read(device);
            assertArrayEquals(volumeKey, VolumeKey.unlock(header, device, PASSPHRASE.getBytes(StandardCharsets.UTF_8)));
            return header;
        }
    }
}
