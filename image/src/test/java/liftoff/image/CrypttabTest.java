package liftoff.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

/** The cipher drivers read from the LUKS headers of a crypttab's devices (image files cryptsetup formatted). */
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
    void driversForEachLuksDeviceAndNotesForTheRest() throws Exception {
        // cryptsetup here checks other ciphers through device-mapper, which the host kernel lacks: AES modes only.
        Path essiv = luks("essiv.img", "aes-cbc-essiv:sha256");
        Path aes = luks("aes.img", "aes-xts-plain64");
        Path plain = Files.write(dir.resolve("plain.img"), new byte[8192]);
        Path crypttab = Files.writeString(dir.resolve("crypttab"), "# name device key options\n"
                + "data " + essiv + " none luks\n\n"
                + "root\t" + aes + "\tnone\tluks,discard\n"
                + "swap " + plain + " /dev/urandom swap\n");
        List<String> notes = new ArrayList<>();
        List<String> drivers = Crypttab.cipherModules(crypttab, notes::add);
        assertEquals(List.of("aesni_intel", "cbc", "essiv", "ecb", "xts"), drivers);
        assertEquals(crypttab + ": data on " + essiv + " uses aes-cbc-essiv:sha256: aesni_intel, cbc, essiv", notes.get(0));
        assertTrue(notes.get(2).startsWith(crypttab + ": swap: " + plain + " skipped (not a usable LUKS header: "), notes.get(2));

        assertEquals(List.of("serpent_generic", "serpent", "ecb", "xts"), Crypttab.drivers("serpent-xts-plain64"));
        List<String> wanted = new ArrayList<>(drivers);
        wanted.addAll(Crypttab.drivers("serpent-xts-plain64"));
        wanted.add("nosuch_generic");
        var selection = KernelModules.select(KernelModulesTest.MODULES, KernelModulesTest.KVER, KernelModules.DEFAULT, wanted,
                Path.of("/lib/firmware"));
        // serpent is loaded at once; aesni_intel, matching the CPU's modalias, by coldplug.
        List<String> boot = ModuleDatabaseTest.names(selection.eager());
        assertTrue(boot.contains("serpent_generic"), boot.toString());
        assertTrue(ModuleDatabaseTest.names(selection.modules()).contains("aesni_intel") && !selection.onDemand().contains("aesni_intel"),
                selection.modules().toString());
        assertTrue(selection.notes().contains("nosuch_generic: not in " + KernelModulesTest.KVER + ", skipped"), selection.notes().toString());
    }

    @Test
    void deviceForms() {
        assertEquals(Path.of("/dev/disk/by-uuid/0a1b"), Crypttab.device("UUID=0a1b"));
        assertEquals(Path.of("/dev/disk/by-partlabel/root"), Crypttab.device("PARTLABEL=root"));
        assertEquals(Path.of("/dev/sda2"), Crypttab.device("/dev/sda2"));
    }

    @Test
    void noCrypttabNoDrivers() throws IOException {
        assertEquals(List.of(), Crypttab.cipherModules(dir.resolve("missing"), note -> { }));
    }
}
