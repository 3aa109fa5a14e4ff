package liftoff.image;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import static liftoff.image.qemu.TestBoot.BOOT;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import liftoff.image.TestImages.Image;
import liftoff.image.qemu.Console;
import liftoff.image.qemu.DemoRoot;
import liftoff.image.qemu.Qemu;
import liftoff.image.qemu.QemuExit;
import liftoff.image.qemu.QemuProcess;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * LUKS roots booted for real: the demo ext4 root encrypted in place by cryptsetup (reencrypt
 * --encrypt; LUKS1 by converting the header), the passphrase typed on the serial console by the
 * test, the dm-crypt mapping made by the init, the real init started from it. Key derivations
 * are kept cheap (64 KiB argon2, 1000 PBKDF2 iterations): the init runs interpreted under TCG.
 */
@Tag("qemu")
class LuksBootTest {
    private static final String PASSPHRASE = "open sesame";
    private static final UUID ARGON2 = UUID.fromString("a2a2a2a2-0000-4000-8000-000000000001");
    private static final UUID PBKDF2 = UUID.fromString("b2b2b2b2-0000-4000-8000-000000000002");
    private static final UUID LUKS1 = UUID.fromString("c1c1c1c1-0000-4000-8000-000000000003");

    @TempDir
    static Path work;
    static Image image;

    @BeforeAll
    static void buildImage() throws Exception {
        Path keyFile = Files.writeString(work.resolve("root.key"), "key file contents\n");
        image = TestImages.build("RESCUE=busybox", "INCLUDE=" + keyFile + ":/etc/luks/root.key");
    }

    /** The demo root in {@code name}.img, encrypted in place ({@link TestDisks#luks}). */
    private static Path encryptedRoot(String name, UUID uuid, boolean luks1, String secret, String... kdf) throws Exception {
        return TestDisks.luks(work.resolve(name + ".img"), uuid, luks1, secret, kdf);
    }

    private static Qemu qemu(Path disk, String append) {
        return image.qemu(append).disk(disk);
    }

    private static void assertRealInitOn(QemuExit exit, String mapping) {
        assertTrue(exit.timeline().reachedRealInit(), exit.console());
        assertTrue(exit.console().contains(" opened as /dev/mapper/" + mapping), exit.console());
        assertTrue(exit.console().matches("(?s).*REAL-ROOT uptime=\\S+ pid=1 root=/dev/(mapper/" + mapping + "|dm-0).*"), exit.console());
    }

    @Test
    void luks2Argon2idWithThePassphraseTypedOnTheConsole() throws Exception {
        Path disk = encryptedRoot("argon2id", ARGON2, false, PASSPHRASE,
                "--pbkdf", "argon2id", "--pbkdf-memory", "64", "--pbkdf-force-iterations", "4", "--pbkdf-parallel", "1");
        try (QemuProcess vm = qemu(disk, "rd.luks.name=" + ARGON2 + "=root root=/dev/mapper/root").start()) {
            Console console = vm.console();
            console.await("Passphrase for /dev/vda (" + ARGON2 + "): ", BOOT);
            console.type(PASSPHRASE + "\n");
            QemuExit exit = vm.waitFor();
            assertRealInitOn(exit, "root");
            assertFalse(exit.console().contains(PASSPHRASE), "the passphrase was echoed or logged");
        }
    }

    @Test
    void anExpensiveArgon2KeyslotIsDerivedInAJitCompiledJvm() throws Exception {
        Path disk = encryptedRoot("costly", ARGON2, false, PASSPHRASE,
                "--pbkdf", "argon2id", "--pbkdf-memory", "65536", "--pbkdf-force-iterations", "4", "--pbkdf-parallel", "1");
        try (QemuProcess vm = qemu(disk, "rd.luks.name=" + ARGON2 + "=root root=/dev/mapper/root").start()) {
            vm.console().await("expensive keyslots: the key is derived in a second, JIT-compiled JVM", BOOT);
            vm.console().await("Passphrase for /dev/vda (" + ARGON2 + "): ", BOOT);
            vm.console().type(PASSPHRASE + "\n");
            assertRealInitOn(vm.waitFor(), "root");
        }
    }

    @Test
    void luks2Pbkdf2WithAKeyFileInTheImageAndTheRootByFilesystemUuid() throws Exception {
        Path disk = encryptedRoot("keyfile", PBKDF2, false, "key file contents\n",
                "--pbkdf", "pbkdf2", "--pbkdf-force-iterations", "1000");
        QemuExit exit = qemu(disk, "rd.luks.uuid=" + PBKDF2 + " rd.luks.key=/etc/luks/root.key rd.luks.options=discard"
                + " root=UUID=" + DemoRoot.standard().uuid()).run();
        assertRealInitOn(exit, "luks-" + PBKDF2);
        assertTrue(exit.console().contains("(discards allowed)"), exit.console());
        assertFalse(exit.console().contains("Passphrase for"), "no prompt with a working key file");
    }

    @Test
    void luks1WithThePassphraseTypedOnTheConsole() throws Exception {
        Path disk = encryptedRoot("luks1", LUKS1, true, PASSPHRASE, "--pbkdf", "pbkdf2", "--pbkdf-force-iterations", "1000");
        try (QemuProcess vm = qemu(disk, "rd.luks.uuid=luks-" + LUKS1 + " root=/dev/mapper/luks-" + LUKS1).start()) {
            vm.console().await("Passphrase for /dev/vda (" + LUKS1 + "): ", BOOT);
            vm.console().type(PASSPHRASE + "\n");
            assertRealInitOn(vm.waitFor(), "luks-" + LUKS1);
        }
    }

    @Test
    void threeWrongPassphrasesEndInTheRescueShellWithTheReason() throws Exception {
        Path disk = encryptedRoot("wrong", PBKDF2, false, PASSPHRASE, "--pbkdf", "pbkdf2", "--pbkdf-force-iterations", "1000");
        try (QemuProcess vm = qemu(disk, "rd.luks.uuid=" + PBKDF2 + " root=/dev/mapper/luks-" + PBKDF2).start()) {
            Console console = vm.console();
            for (int attempt = 1; attempt <= 3; attempt++) {
                console.await("Passphrase for /dev/vda (" + PBKDF2 + "): ", BOOT);
                console.type("wrong " + attempt + "\n");
                console.await("liftoff: wrong passphrase for /dev/vda (try " + attempt + " of 3)", Duration.ofMinutes(1));
            }
            console.await("liftoff: cannot boot: wrong passphrase for the LUKS device /dev/vda (" + PBKDF2 + "), 3 tries", BOOT);
            QemuExit exit = RescueShell.powerOff(vm, "ls /dev/mapper");
            assertFalse(exit.timeline().reachedRealInit());
            assertFalse(exit.console().contains("wrong 1"), "a typed passphrase was echoed");
        }
    }
}
