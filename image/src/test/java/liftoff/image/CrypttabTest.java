package liftoff.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ciphers read from the LUKS headers of a crypttab's devices (image files cryptsetup formatted). */
class CrypttabTest {
    @TempDir
    Path dir;

    private Path luks(String name, String cipher) throws IOException, InterruptedException {
        Path image = dir.resolve(name);
        try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) {
            f.setLength(20 << 20);
        }
        Process p = new ProcessBuilder("cryptsetup", "luksFormat", "--batch-mode", "--type", "luks2", "--cipher", cipher,
                "--key-size", cipher.contains("xts") ? "512" : "256", "--pbkdf", "pbkdf2", "--pbkdf-force-iterations", "1000", "--key-file", "-",
                image.toString()).redirectErrorStream(true).start();
        p.getOutputStream().write("pw".getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        return image;
    }

    @Test
    void cipherOfEachLuksDeviceAndNotesForTheRest() throws Exception {
        // cryptsetup here checks other ciphers through device-mapper, which the host kernel lacks: AES modes only.
        Path essiv = luks("essiv.img", "aes-cbc-essiv:sha256");
        Path aes = luks("aes.img", "aes-xts-plain64");
        Path plain = Files.write(dir.resolve("plain.img"), new byte[8192]);
        Path crypttab = Files.writeString(dir.resolve("crypttab"), "# name device key options\n"
                + "data " + essiv + " none luks\n\n"
                + "root\t" + aes + "\tnone\tluks,discard\n"
                + "swap " + plain + " /dev/urandom swap\n");
        List<String> notes = new ArrayList<>();
        List<String> ciphers = Crypttab.ciphers(crypttab, notes::add);
        assertEquals(List.of("aes-cbc-essiv:sha256", "aes-xts-plain64"), ciphers);
        assertEquals(crypttab + ": data on " + essiv + " uses aes-cbc-essiv:sha256", notes.get(0));
        assertTrue(notes.get(2).startsWith(crypttab + ": swap: " + plain + " skipped (not a usable LUKS header: "), notes.get(2));

        // An image with dm-crypt gets the host's other ciphers too, loaded when a LUKS device is opened.
        var selection = KernelModules.select(KernelModulesTest.MODULES, KernelModulesTest.KVER, List.of("dm_crypt"),
                List.of("serpent-xts-plain64"), Path.of("/lib/firmware"));
        assertTrue(selection.onDemand().containsAll(List.of("serpent_generic", "xts", "ecb", "aesni_intel")), selection.onDemand().toString());
        // Without dm-crypt in the image they would be of no use.
        List<String> withoutDmCrypt = ModuleDatabaseTest.names(KernelModules.select(KernelModulesTest.MODULES,
                KernelModulesTest.KVER, List.of("virtio_blk"), List.of("serpent-xts-plain64"), Path.of("/lib/firmware")).modules());
        assertEquals("virtio_blk", withoutDmCrypt.getLast(), withoutDmCrypt.toString());
        assertFalse(withoutDmCrypt.contains("serpent_generic"), withoutDmCrypt.toString());
    }

    @Test
    void deviceForms() {
        assertEquals(Path.of("/dev/disk/by-uuid/0a1b"), Crypttab.device("UUID=0a1b"));
        assertEquals(Path.of("/dev/disk/by-partlabel/root"), Crypttab.device("PARTLABEL=root"));
        assertEquals(Path.of("/dev/sda2"), Crypttab.device("/dev/sda2"));
    }

    @Test
    void noCrypttabNoCiphers() throws IOException {
        assertEquals(List.of(), Crypttab.ciphers(dir.resolve("missing"), note -> { }));
    }
}
